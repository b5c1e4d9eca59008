"""Every create, change and delete made through a service is kept, append-only."""

import pytest

from cchc.core import audit
from cchc.core.models import AuditEvent
from cchc.orgs import services
from cchc.orgs.models import Membership, UnitKind


def test_create_update_delete_leave_a_readable_trail(province):
    t = province
    unit = services.unit_create(
        actor=t.admin, name="Trường Tiểu học Liên Nghĩa", kind=UnitKind.SCHOOL,
        school_level="primary", code="HY-VG-TH-LN", parent=t.office_a,
    )
    services.unit_update(actor=t.admin, unit=unit, name="Trường Tiểu học Liên Nghĩa A")
    trail = list(audit.history_for(unit))
    assert [e.event for e in trail] == ["unit.updated", "unit.created"]
    assert trail[0].actor == t.admin
    assert trail[0].changes == {
        "name": ["Trường Tiểu học Liên Nghĩa", "Trường Tiểu học Liên Nghĩa A"],
        "name_folded": ["truong tieu hoc lien nghia", "truong tieu hoc lien nghia a"],
    }
    assert trail[1].changes["code"] == [None, "HY-VG-TH-LN"]

    membership = services.membership_grant(
        actor=t.admin, user=t.viewer, unit=unit, role="staff"
    )
    membership_id = membership.pk
    services.membership_revoke(actor=t.admin, membership=membership)
    assert not Membership.objects.filter(pk=membership_id).exists()
    deleted = AuditEvent.objects.get(event="membership.revoked")
    assert deleted.action == AuditEvent.Action.DELETE
    assert deleted.target_id == str(membership_id)
    assert deleted.changes["role"] == ["staff", None]


def test_audit_rows_cannot_be_changed_or_deleted(province):
    event = AuditEvent.objects.filter(event="unit.created").first()
    event.event = "forged"
    with pytest.raises(RuntimeError):
        event.save()
    with pytest.raises(RuntimeError):
        event.delete()


def test_refused_change_leaves_no_trace(province):
    from cchc.core.errors import DomainError

    t = province
    before = AuditEvent.objects.count()
    with pytest.raises(DomainError):
        services.unit_update(actor=t.school_a1_head, unit=t.school_a1, name="Tên khác")
    with pytest.raises(DomainError):
        services.unit_update(actor=t.admin, unit=t.school_a1, name="   ")
    t.school_a1.refresh_from_db()
    assert t.school_a1.name == "Trường Tiểu học Xuân Quan"
    assert AuditEvent.objects.count() == before
