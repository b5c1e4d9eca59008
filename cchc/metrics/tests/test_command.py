from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from cchc.orgs import services
from cchc.orgs.models import UnitKind
from cchc.orgs.tests.factories import REFORM_DAY, make_unit


def run(*args) -> str:
    out = StringIO()
    call_command("metric", *args, stdout=out)
    return out.getvalue()


def test_list_shows_every_metric():
    out = run("--list")
    assert "orgs.schools_open\tSố trường học (trường, count)" in out
    assert "orgs.units_open" in out


@pytest.mark.django_db
def test_value_numerator_and_denominator(province):
    out = run("orgs.schools_open", "HY", "Quý I/2025")
    assert out.splitlines() == [
        "Số trường học — Sở Giáo dục và Đào tạo Hưng Yên (HY)",
        "Kỳ: Quý I/2025 (01/01/2025 – 31/03/2025)",
        "Giá trị: 4 trường",
        "Tử số: 4",
        "Mẫu số: —",
    ]


def test_children_and_unavailable(province):
    t = province
    commune = make_unit("Phòng Văn hóa – Xã hội xã Văn Giang", UnitKind.COMMUNE_OFFICE,
                        t.department, code="HY-X-VG", opened_on=REFORM_DAY)
    services.units_merge(actor=None, predecessors=[t.office_a], successor=commune,
                         effective_on=REFORM_DAY)
    out = run("orgs.schools_open", "hy-x-vg", "quy 1 nam 2025")
    assert "Không có số liệu: đơn vị chưa thành lập / đã giải thể trong kỳ" in out
    out = run("orgs.schools_open", "HY", "2025-Q3", "--children")
    assert "  HY-X-VG\tPhòng Văn hóa – Xã hội xã Văn Giang\t2" in out
    assert "HY-VG\t" not in out


@pytest.mark.parametrize(
    "args, message",
    [
        (("orgs.nothing", "HY", "Quý I/2025"), "Không có chỉ số đo lường “orgs.nothing”"),
        (("orgs.schools_open", "NOPE", "Quý I/2025"), "Không tìm thấy đơn vị có mã “NOPE”"),
        (("orgs.schools_open", "HY", "Quý V/2025"), "Không hiểu kỳ báo cáo “Quý V/2025”"),
        (("orgs.schools_open",), "Cần mã chỉ số"),
    ],
)
def test_errors_are_messages(province, args, message):
    with pytest.raises(CommandError, match=message):
        run(*args)
