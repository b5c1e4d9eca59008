"""Citizens' personal data: who sees it in full, how it is masked for everyone else, and
how it is erased from a closed case while the statistics stay as they were.

Personal data here are the applicant's (dossiers) and the sender's (feedback) name,
personal identification number, phone number, e-mail address and postal address — all
"basic personal data" of Decree 13/2023/NĐ-CP art. 2(3). A one-stop desk and a feedback
office collect them to handle one case; nobody else needs them.

Who sees them (the table is also in docs/privacy.md):

=====================================================  =============================
user                                                   what they see
=====================================================  =============================
system administrator (superuser or the root unit's)    in full
the one-stop desk officers and the unit head of the    in full (dossiers)
unit that holds the dossier (roles with
HANDLE_DOSSIERS *in that unit*, or in the unit that
succeeded it), the dossier's current handler and the
officer who received it
the feedback handlers of the unit that holds the       in full (feedback)
feedback (desk, reform officer, unit head: roles with
HANDLE_FEEDBACK in that unit or its successor; after an
escalation that is the parent unit), its officer
anyone else who may read the case: viewers, staff, a   masked: "Nguyễn V. A.",
reform officer for dossiers, the officers of a parent  "09******89", "******1234",
unit reading a lower unit's cases for statistics        "…, xã Văn Giang, tỉnh Hưng Yên",
                                                       "a***@gmail.com"
a sibling unit, the public                             nothing (404; the portal shows
                                                       the masked name only)
=====================================================  =============================

A role held in a parent unit does not unmask a lower unit's cases even though the
scoping rule lets that role act there: handling a case is the job of the unit that holds
it, and the data were collected for handling it, not for supervising. Masked
users also cannot find a case by the applicant's name (the search would confirm who
applied), and the documents addressed to the applicant (receipt, apology letter, control
sheet, the result file) are refused to them.

Erasure (``dossiers.services_privacy.dossier_personal_data_erase``,
``feedback.services_privacy.feedback_personal_data_erase``; admin action and the command
``cchc erase_personal_data``). Legal basis, from stored public pages read on 24/11/2026:

* Decree 13/2023 art. 16(1): the data subject may ask the controller to delete their
  data when no longer needed for the purpose collected, on withdrawing consent, on
  objecting, when processed unlawfully, or when the law requires deletion.
* Art. 16(2): deletion on request does NOT apply when (a) the law forbids it, (b) the
  data are processed by a competent state body for its operations as the law provides,
  (c) the data were made public as the law provides, (d) the data are processed for
  legal requirements, scientific research or statistics as the law provides, (đ)–(e)
  emergencies. A one-stop desk is a state body acting under Decree 61/2018 and Decree
  118/2025, so erasure is the unit's decision, not an automatic right: the administrator
  records the request and the reason; an open case is always refused (the data are
  still needed to handle and return it); the statistics (art. 16(2)(d)) are kept.
* Art. 16(5) sets the time within which a deletion is carried out (72 hours after the
  request according to secondary sources; the clause itself could not be read).
* The Personal Data Protection Law 2025 (in force 01/01/2026) keeps the right to ask for
  deletion, adds "the retention period set by law has expired" as a ground, and requires
  the controller to tell the requester when the data cannot be deleted for a legitimate
  reason; secondary sources differ on the article (art. 14 "xóa, hủy dữ liệu cá nhân" by
  luatvietnam.vn and nghean24h.vn; art. 9(1)(l) and 16 by 24h.com.vn) — the text of the
  law itself was not available, so no article is relied on here.

What erasure does: the personal fields become ``ERASED`` (the name) or empty; every
other occurrence of the erased values — in the free texts of the case, its events, and
the audit rows of the case (earlier rows kept full snapshots of the applicant) — is
replaced by ``ERASED``; one new audit row says who erased what kind of data and why,
without the values. Dates, status, procedure, unit, outcome and every counted field are
untouched, so the statistics and the metrics read the same before and after.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from cchc.orgs.models import UnitSuccession
from cchc.orgs.scoping import ROLE_PERMS, Perm, scope_for

from .errors import DomainError, PermissionDenied

ERASED = "[đã xóa]"
_MASK = "*"


# --- masking ---------------------------------------------------------------------------


def mask_name(name: str) -> str:
    """The family name in full, the other names as initials: "Nguyễn Văn An" →
    "Nguyễn V. A."; a single name keeps only its initial."""
    if (name or "").strip() == ERASED:
        return ERASED
    words = (name or "").split()
    if not words:
        return ""
    if len(words) == 1:
        return f"{words[0][0]}."
    return " ".join([words[0], *(f"{word[0]}." for word in words[1:])])


def mask_phone(phone: str) -> str:
    """"0912 345 689" → "09******89": the first two and the last two digits."""
    digits = re.sub(r"\D", "", phone or "")
    if not digits:
        return ""
    if len(digits) <= 4:
        return _MASK * len(digits)
    return f"{digits[:2]}{_MASK * 6}{digits[-2:]}"


def mask_id_number(value: str) -> str:
    """"001203012345" → "******2345": the last four characters only (the length is hidden)."""
    value = (value or "").strip()
    if not value:
        return ""
    if len(value) <= 4:
        return _MASK * 4
    return f"{_MASK * 6}{value[-4:]}"


def mask_address(address: str) -> str:
    """Only the last two parts (commune and province): "Số 5, thôn Xuân Quan, xã Văn
    Giang, tỉnh Hưng Yên" → "…, xã Văn Giang, tỉnh Hưng Yên"; an address of one part
    shows nothing."""
    parts = [p.strip() for p in (address or "").split(",") if p.strip()]
    if not parts:
        return ""
    if len(parts) == 1:
        return "…"
    keep = parts[-2:] if len(parts) >= 3 else parts[-1:]
    return ", ".join(["…", *keep])


def mask_email(email: str) -> str:
    """"an.nguyen@gmail.com" → "a***@gmail.com"."""
    email = (email or "").strip()
    if not email:
        return ""
    local, at, domain = email.partition("@")
    if not at:
        return f"{email[:1]}***"
    return f"{local[:1]}***@{domain}"


@dataclass(frozen=True)
class PersonalData:
    """The citizen's data as one user may see them (`masked` when not in full)."""

    name: str
    id_number: str
    phone: str
    email: str
    address: str
    masked: bool
    # (full value, what shows instead) for the free texts of a masked case
    replacements: tuple[tuple[str, str], ...] = ()

    @property
    def contact(self) -> str:
        return " · ".join(v for v in (self.phone, self.email) if v)

    def hide(self, text: Any) -> Any:
        """`text` (a string, or JSON) with the citizen's values masked as above, for a free
        text of the case (subject, notes, answer…) shown to a masked reader; unchanged
        for those who see the data in full."""
        if not self.replacements:
            return text
        if isinstance(text, str):
            for full, shown in self.replacements:
                text = re.sub(re.escape(full), shown, text, flags=re.IGNORECASE)
            return text
        if isinstance(text, list):
            return [self.hide(v) for v in text]
        if isinstance(text, dict):
            return {k: self.hide(v) for k, v in text.items()}
        return text


def _masked(data: PersonalData) -> PersonalData:
    masked = {
        "name": mask_name(data.name),
        "id_number": mask_id_number(data.id_number),
        "phone": mask_phone(data.phone),
        "email": mask_email(data.email),
        "address": mask_address(data.address),
    }
    pairs = {}
    for key, shown in masked.items():
        full = (getattr(data, key) or "").strip()
        if full and len(full) >= 3 and full != ERASED:
            pairs[full] = shown or ERASED
    replacements = tuple(sorted(pairs.items(), key=lambda pair: len(pair[0]), reverse=True))
    return PersonalData(**masked, masked=True, replacements=replacements)


# --- who sees them in full -------------------------------------------------------------


@dataclass
class _Policy:
    user_id: int | None
    is_global: bool
    units: dict[Perm, frozenset[int]]


def _policy_for(user) -> _Policy:
    """Memoised on the user object for the request (like the scope)."""
    cached = getattr(user, "_cchc_privacy", None)
    if cached is not None:
        return cached
    scope = scope_for(user)
    units: dict[Perm, frozenset[int]] = {}
    for perm in (Perm.HANDLE_DOSSIERS, Perm.HANDLE_FEEDBACK):
        own = {m.unit_id for m in scope.memberships if perm in ROLE_PERMS[m.role]}
        if own:
            # The records of a unit that closed into one of these stay with its successor.
            own |= set(
                UnitSuccession.objects.filter(successor_id__in=own).values_list("predecessor_id", flat=True)
            )
        units[perm] = frozenset(own)
    policy = _Policy(
        user_id=getattr(user, "pk", None) if getattr(user, "is_authenticated", False) else None,
        is_global=scope.is_global,
        units=units,
    )
    if user is not None and getattr(user, "is_authenticated", False):
        user._cchc_privacy = policy
    return policy


def can_see_personal_data(user, unit, *, perm: Perm = Perm.HANDLE_DOSSIERS) -> bool:
    """Whether `user` sees in full the personal data of the cases `unit` holds: a system
    administrator, or a role with `perm` held in that very unit (or in its successor)."""
    if unit is None:
        return False
    policy = _policy_for(user)
    return policy.is_global or getattr(unit, "pk", unit) in policy.units.get(perm, frozenset())


def _kind_of(record) -> str:
    label = record._meta.label_lower
    if label == "dossiers.dossier":
        return "dossier"
    if label == "feedback.feedback":
        return "feedback"
    raise TypeError(f"No personal data policy for {label}")


def personal_data_visible(user, record) -> bool:
    """Whether `user` sees the citizen's data of this dossier or feedback in full."""
    policy = _policy_for(user)
    if policy.is_global:
        return True
    if _kind_of(record) == "dossier":
        if record.unit_id in policy.units[Perm.HANDLE_DOSSIERS]:
            return True
        return policy.user_id is not None and policy.user_id in (record.handler_id, record.received_by_id)
    if record.unit_id in policy.units[Perm.HANDLE_FEEDBACK]:
        return True
    return policy.user_id is not None and policy.user_id == record.officer_id


def personal_data_of(record, *, user) -> PersonalData:
    """The applicant's (dossier) or sender's (feedback) data, masked unless `user` handles
    the case."""
    if _kind_of(record) == "dossier":
        data = PersonalData(
            name=record.applicant_name,
            id_number=record.applicant_id_number,
            phone=record.applicant_phone,
            email=record.applicant_email,
            address=record.applicant_address,
            masked=False,
        )
    else:
        data = PersonalData(
            name=record.sender_name,
            id_number="",
            phone=record.sender_phone,
            email=record.sender_email,
            address=record.sender_address,
            masked=False,
        )
    return data if personal_data_visible(user, record) else _masked(data)


def personal_data_for_caller(record, context) -> PersonalData:
    """`personal_data_of` for the caller of an API schema resolver (token or session);
    masked when the caller is unknown."""
    request = (context or {}).get("request")
    user = getattr(request, "auth_user", None) or getattr(request, "user", None)
    return personal_data_of(record, user=user)


def personal_data_q(user, *, perm: Perm, people: tuple[str, ...] = ()) -> Q:
    """A filter for the records whose personal data `user` sees in full (to search by
    name only among them). `people`: the record's user fields that also unmask it."""
    policy = _policy_for(user)
    if policy.is_global:
        return Q()
    condition = Q(unit_id__in=list(policy.units.get(perm, ())))
    if policy.user_id is not None:
        for field in people:
            condition |= Q(**{f"{field}_id": policy.user_id})
    return condition


# --- erasing ---------------------------------------------------------------------------


def values_to_erase(*values: str) -> list[str]:
    """The personal values worth looking for in free texts: non-empty, not the
    placeholder, longest first (so "Nguyễn Văn An" goes before "An"); very short values
    (under 3 characters) are left alone, they would match inside ordinary words."""
    found = {v.strip() for v in values if v and v.strip() and v.strip() != ERASED and len(v.strip()) >= 3}
    return sorted(found, key=len, reverse=True)


def scrub(value: Any, secrets: list[str]) -> Any:
    """`value` (a string, or JSON made of lists and dicts) with every occurrence of each
    secret replaced by ERASED (case-insensitive)."""
    if not secrets:
        return value
    if isinstance(value, str):
        for secret in secrets:
            value = re.sub(re.escape(secret), ERASED, value, flags=re.IGNORECASE)
        return value
    if isinstance(value, list):
        return [scrub(v, secrets) for v in value]
    if isinstance(value, dict):
        return {k: scrub(v, secrets) for k, v in value.items()}
    return value


def require_system_admin(actor) -> None:
    """Erasure is the controller's decision, taken by the system administrator (a
    superuser or the system administrator of the root unit)."""
    if actor is None or not getattr(actor, "is_authenticated", False) or not scope_for(actor).is_global:
        raise PermissionDenied(_("Chỉ quản trị hệ thống được xóa dữ liệu cá nhân của công dân."))


def clean_reason(reason: str) -> str:
    """The reason of an erasure, required (the citizen's request and the unit's decision)."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(
            _("Cần ghi lý do xóa (ví dụ: đề nghị của công dân, số và ngày của văn bản đề nghị)."),
            code="required",
            field="reason",
        )
    return reason[:1000]


def scrub_rows(sources: list[tuple[QuerySet, tuple[str, ...]]], secrets: list[str]) -> int:
    """Replace the secrets in the given text/JSON fields of a case's own history rows (one
    case: tens of rows). Those rows are append-only for the application, so they are
    rewritten by UPDATE, only where a value occurs. Returns the number of rows changed."""
    if not secrets:
        return 0
    changed = 0
    for rows, fields in sources:
        for row in rows.only("pk", *fields):
            values = {name: scrub(getattr(row, name), secrets) for name in fields}
            if any(values[name] != getattr(row, name) for name in fields):
                rows.model.objects.filter(pk=row.pk).update(**values)
                changed += 1
    return changed


def scrub_audit_trail(*, target_type: str, target_id: str, fields: set[str], secrets: list[str]) -> int:
    """Remove the personal data from the audit rows of one record: the values of the
    personal `fields` in `changes` become ERASED, and any other occurrence of a secret
    (in `changes` or `target_repr`) too. The audit trail is append-only for the
    application; this is its one exception: a value kept in a copy is not erased.
    Returns the number of rows changed."""
    from .models import AuditEvent

    changed = 0
    rows = AuditEvent.objects.filter(target_type=target_type, target_id=target_id).only(
        "pk", "changes", "target_repr"
    )
    for row in rows:
        changes = row.changes if isinstance(row.changes, dict) else {}
        new_changes = {}
        for key, value in changes.items():
            if key in fields:
                if isinstance(value, list):
                    value = [ERASED if v not in (None, "") else v for v in value]
                elif value not in (None, ""):
                    value = ERASED
            new_changes[key] = scrub(value, secrets)
        new_repr = scrub(row.target_repr, secrets)
        if new_changes != changes or new_repr != row.target_repr:
            AuditEvent.objects.filter(pk=row.pk).update(changes=new_changes, target_repr=new_repr)
            changed += 1
    return changed
