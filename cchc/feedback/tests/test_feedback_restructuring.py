"""Units merge and move: open feedback follows the successor, copied paths follow moves."""

import datetime as dt

import pytest

from cchc.feedback import services
from cchc.feedback.models import FeedbackStatus
from cchc.orgs import services as orgs
from cchc.orgs.models import UnitKind
from cchc.orgs.tests.factories import make_unit

from .factories import answer, submit, vn

pytestmark = pytest.mark.django_db


def test_a_merger_hands_open_feedback_to_the_successor_and_a_move_rewrites_paths(province):
    open_one = submit(province.office_a, at=vn(2025, 6, 20, 9))
    services.feedback_assign(
        actor=None, feedback=open_one, officer=province.office_a_officer, at=vn(2025, 6, 20, 10)
    )
    answered = submit(province.office_a, at=vn(2025, 6, 20, 10))
    answer(answered, province.office_a_officer, at=vn(2025, 6, 23))
    commune = make_unit("Phòng Văn hóa – Xã hội xã Văn Giang", UnitKind.COMMUNE_OFFICE, province.department)
    orgs.units_merge(
        actor=None, predecessors=[province.office_a], successor=commune, effective_on=dt.date(2025, 7, 1)
    )

    open_one.refresh_from_db()
    answered.refresh_from_db()
    assert (open_one.unit, open_one.unit_path) == (commune, commune.path)
    assert (open_one.status, open_one.officer) == (FeedbackStatus.RECEIVED, None)
    assert open_one.events.filter(kind="handed_over", data__restructuring=True).exists()
    assert answered.unit == province.office_a  # the record stays with who answered it

    orgs.unit_move(actor=None, unit=commune, new_parent=province.division, effective_on=dt.date(2025, 8, 1))
    open_one.refresh_from_db()
    commune.refresh_from_db()
    assert open_one.unit_path == commune.path
