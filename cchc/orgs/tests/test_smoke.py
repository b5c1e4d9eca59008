import datetime as dt
from cchc.orgs import services, selectors
from cchc.orgs.models import UnitKind, OrgUnit
from cchc.orgs.scoping import scope_for

def test_smoke(province):
    t = province
    c = services.unit_create(actor=None, name="Phòng Văn hóa – Xã hội xã Văn Giang", kind=UnitKind.COMMUNE_OFFICE, parent=t.department, code="HY-X-VG", opened_on=dt.date(2025,7,1))
    services.units_merge(actor=t.admin, predecessors=[t.office_a, t.office_b], successor=c, effective_on=dt.date(2025,7,1))
    t.school_a1.refresh_from_db()
    assert t.school_a1.path.startswith(c.path)
    assert set(selectors.subtree_on(t.office_a, dt.date(2025,3,1))) == {t.office_a, t.school_a1, t.school_a2}
    assert set(selectors.subtree_on(c, dt.date(2025,8,1))) == {c, t.school_a1, t.school_a2, t.school_b1}
    assert not selectors.subtree_on(c, dt.date(2025,3,1)).exists()
    s = scope_for(t.school_a1_head)
    assert list(s.units()) == [t.school_a1]
