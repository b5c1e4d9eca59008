"""Erasing an applicant's personal data from a closed dossier, on the applicant's request.

The rule, its legal basis and what is kept are in `cchc.core.privacy` (Decree 13/2023/NĐ-CP
art. 16; docs/privacy.md). In short: only the system administrator erases; only a closed
dossier (resolved, returned, refused or withdrawn); the applicant's name becomes
"[đã xóa]", the other personal fields empty, and every copy of those values in the
dossier's texts, control sheet, supplement requests, apology letters, events and audit
rows is replaced; every field the statistics and the metrics count is kept.
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

from .models import OPEN_STATUSES, ApologyLetter, Dossier, DossierEvent, DossierPause, DossierStep

PERSONAL_FIELDS = (
    "applicant_name",
    "applicant_id_number",
    "applicant_phone",
    "applicant_email",
    "applicant_address",
)
# Free texts an officer or the applicant typed, which may repeat the applicant's data.
_TEXT_FIELDS = ("subject", "result_summary", "refusal_reason")


def dossier_personal_data_erase(*, actor, dossier: Dossier, reason: str) -> Dossier:
    """Erase the applicant's personal data from a closed dossier (Decree 13/2023 art. 16).

    Refused for an open dossier (in progress, waiting for a supplement): the data are
    still needed to handle it and return the result. The result file is KEPT: it is the
    official document the unit issued, a record the unit must archive (Decree 13/2023
    art. 16(2)(a)-(b): data a state body processes for its operations as the law
    provides are not deleted on request); it stays downloadable only by those who see
    the applicant's data in full. One audit row records who erased, when and why — never
    the erased values. All in one transaction.
    """
    require_system_admin(actor)
    reason = clean_reason(reason)
    with transaction.atomic():
        dossier = Dossier.objects.select_for_update().get(pk=dossier.pk)
        if dossier.status in OPEN_STATUSES:
            raise DomainError(
                _(
                    "Hồ sơ %(code)s đang giải quyết: chỉ xóa dữ liệu cá nhân của hồ sơ đã kết thúc "
                    "(đã có kết quả, đã trả, bị từ chối hoặc đã rút)."
                )
                % {"code": dossier.code},
                code="dossier_open",
            )
        if dossier.applicant_name == ERASED:
            raise DomainError(
                _("Dữ liệu cá nhân của hồ sơ %(code)s đã được xóa trước đây.") % {"code": dossier.code},
                code="already_erased",
            )
        secrets = values_to_erase(*(getattr(dossier, name) for name in PERSONAL_FIELDS))
        erased_fields = [name for name in PERSONAL_FIELDS if getattr(dossier, name)]
        dossier.applicant_name = ERASED
        for name in PERSONAL_FIELDS[1:]:
            setattr(dossier, name, "")
        for name in _TEXT_FIELDS:
            setattr(dossier, name, scrub(getattr(dossier, name), secrets))
        dossier.save(update_fields=[*PERSONAL_FIELDS, *_TEXT_FIELDS, "updated_at"])

        copies = scrub_rows(
            [
                (DossierEvent.objects.filter(dossier=dossier), ("note", "data")),
                (DossierStep.objects.filter(dossier=dossier), ("note",)),
                (DossierPause.objects.filter(dossier=dossier), ("reason",)),
                (ApologyLetter.objects.filter(dossier=dossier), ("reason",)),
            ],
            secrets,
        )
        copies += scrub_audit_trail(
            target_type=audit.target_type_of(dossier),
            target_id=str(dossier.pk),
            fields=set(PERSONAL_FIELDS),
            secrets=secrets,
        )
        for letter_id in ApologyLetter.objects.filter(dossier=dossier).values_list("pk", flat=True):
            copies += scrub_audit_trail(
                target_type="dossiers.apologyletter", target_id=str(letter_id), fields=set(), secrets=secrets
            )
        audit.record(
            actor=actor,
            obj=dossier,
            event="dossier.personal_data_erased",
            action=AuditEvent.Action.ACTION,
            changes={
                "erased_fields": erased_fields,
                "copies_erased": copies,
                "reason": scrub(reason, secrets),
            },
        )
    return dossier
