"""Erasing a sender's personal data from a closed feedback, on the sender's request.

The rule and its legal basis are in `cchc.core.privacy` (Decree 13/2023/NĐ-CP art. 16;
docs/privacy.md): only the system administrator erases; only a closed feedback (answered,
published or rejected); the sender's name becomes "[đã xóa]" (when there was one), the
phone, e-mail and address empty, every copy of those values in the content, the answer,
the internal notes, the events and the audit rows is replaced, and the files the sender
attached are deleted; every field the metrics count is kept.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from cchc.core import audit
from cchc.core.errors import DomainError
from cchc.core.models import AuditEvent
from cchc.core.privacy import (
    ERASED,
    clean_reason,
    require_system_admin,
    scrub,
    scrub_audit_trail,
    scrub_rows,
    values_to_erase,
)

from .models import OPEN_STATUSES, Feedback, FeedbackAttachment, FeedbackEvent, FeedbackNote

PERSONAL_FIELDS = ("sender_name", "sender_phone", "sender_email", "sender_address")
# Texts that may repeat the sender's data; the content and answer are kept otherwise: they
# are the record of a feedback on a regulation and the published answer quotes them.
_TEXT_FIELDS = ("topic", "content", "answer", "rejection_reason")


def feedback_personal_data_erase(*, actor, feedback: Feedback, reason: str) -> Feedback:
    """Erase the sender's personal data from a closed feedback (Decree 13/2023 art. 16).

    Refused while the feedback is open (received or being handled): the answer still has
    to reach the sender. The attachments are deleted, rows and files (after the commit,
    so a failure leaves everything as it was): they are the sender's own documents and
    photos, no statistic counts them, and the unit's record of the case is the content and
    the answer. One audit row records who erased, when and why — never the values.
    """
    require_system_admin(actor)
    reason = clean_reason(reason)
    with transaction.atomic():
        feedback = Feedback.objects.select_for_update().get(pk=feedback.pk)
        if feedback.status in OPEN_STATUSES:
            raise DomainError(
                _(
                    "Phản ánh %(code)s đang xử lý: chỉ xóa dữ liệu cá nhân của phản ánh đã trả lời "
                    "hoặc không tiếp nhận xử lý."
                )
                % {"code": feedback.code},
                code="feedback_open",
            )
        attachments = list(FeedbackAttachment.objects.filter(feedback=feedback))
        if feedback.sender_name == ERASED or (
            not any(getattr(feedback, name) for name in PERSONAL_FIELDS) and not attachments
        ):
            raise DomainError(
                _("Phản ánh %(code)s không còn dữ liệu cá nhân để xóa.") % {"code": feedback.code},
                code="already_erased",
            )
        secrets = values_to_erase(*(getattr(feedback, name) for name in PERSONAL_FIELDS))
        erased_fields = [name for name in PERSONAL_FIELDS if getattr(feedback, name)]
        feedback.sender_name = ERASED if feedback.sender_name else ""
        for name in PERSONAL_FIELDS[1:]:
            setattr(feedback, name, "")
        for name in _TEXT_FIELDS:
            setattr(feedback, name, scrub(getattr(feedback, name), secrets))
        feedback.save(update_fields=[*PERSONAL_FIELDS, *_TEXT_FIELDS, "updated_at"])

        copies = scrub_rows(
            [
                (FeedbackEvent.objects.filter(feedback=feedback), ("note", "data")),
                (FeedbackNote.objects.filter(feedback=feedback), ("text",)),
            ],
            secrets,
        )
        copies += scrub_audit_trail(
            target_type=audit.target_type_of(feedback),
            target_id=str(feedback.pk),
            fields=set(PERSONAL_FIELDS),
            secrets=secrets,
        )
        files = [a.file.name for a in attachments if a.file]
        FeedbackAttachment.objects.filter(pk__in=[a.pk for a in attachments]).delete()
        storage = FeedbackAttachment._meta.get_field("file").storage
        transaction.on_commit(lambda: [storage.delete(name) for name in files])
        audit.record(
            actor=actor,
            obj=feedback,
            event="feedback.personal_data_erased",
            action=AuditEvent.Action.ACTION,
            changes={
                "erased_fields": erased_fields,
                "attachments_deleted": len(attachments),
                "copies_erased": copies,
                "reason": scrub(reason, secrets),
            },
        )
    return feedback
