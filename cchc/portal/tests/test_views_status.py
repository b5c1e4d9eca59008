"""A citizen follows a dossier by its code, without signing in: what they see, what
nobody holding a wrong code learns, and how fast they may try."""

import re
import time

import pytest

from cchc.dossiers import services
from cchc.dossiers.models import Channel, ReturnMethod
from cchc.dossiers.tests.factories import make_procedure, vn
from cchc.orgs.models import Role
from cchc.orgs.tests.factories import make_user
from cchc.portal import ratelimit
from cchc.portal.selectors import mask_name

pytestmark = pytest.mark.django_db

STATUS = "/public/status/"


@pytest.fixture
def dossiers(province):
    """Phòng GD&ĐT Văn Giang receives Nguyễn Văn An's request, hands it to an examiner,
    asks for a supplement; Phòng GD&ĐT Văn Lâm receives Trần Thị Bích's."""
    t = province
    t.desk_officer.last_name, t.desk_officer.first_name = "Lê Thị", "Bình"
    t.desk_officer.save()
    t.examiner = make_user("vg.chuyenvien", t.office_a, Role.STAFF, last_name="Phạm Văn", first_name="Cường")
    t.procedure = make_procedure(code="1.005092", name="Cấp bản sao văn bằng, chứng chỉ từ sổ gốc")
    t.other_procedure = make_procedure(code="1.004831", name="Chuyển trường đối với học sinh")
    t.mine = services.dossier_receive(
        actor=t.desk_officer,
        unit=t.office_a,
        procedure=t.procedure,
        applicant=services.Applicant(
            name="Nguyễn Văn An",
            id_number="034090001234",
            phone="0912345678",
            email="an.nguyen@example.vn",
            address="Thôn Đại Quan, xã Xuân Quan",
        ),
        channel=Channel.DESK,
        subject="Bản sao bằng tốt nghiệp THCS",
        received_at=vn(2025, 8, 4, 9, 0),
    )
    services.dossier_hand_over(
        actor=t.desk_officer,
        dossier=t.mine,
        to_handler=t.examiner,
        note="Ghi chú nội bộ: kiểm tra sổ gốc kho B",
        at=vn(2025, 8, 4, 14, 0),
    )
    services.dossier_request_supplement(
        actor=t.desk_officer,
        dossier=t.mine,
        reason="Bản sao giấy khai sinh có chứng thực",
        at=vn(2025, 8, 5, 10, 0),
    )
    t.theirs = services.dossier_receive(
        actor=None,
        unit=t.office_b,
        procedure=t.other_procedure,
        applicant=services.Applicant(name="Trần Thị Bích", phone="0988000111"),
        received_at=vn(2025, 8, 4, 10, 0),
    )
    return t


def lookup(client, code, **extra):
    return client.get(STATUS, {"code": code}, **extra)


def test_the_applicant_sees_the_state_dates_and_what_to_supplement(client, dossiers):
    t = dossiers
    response = lookup(client, t.mine.code)
    assert response.status_code == 200
    body = response.content.decode()
    for expected in [
        t.mine.code,
        "Cấp bản sao văn bằng, chứng chỉ từ sổ gốc",
        "Phòng Giáo dục và Đào tạo Văn Giang",
        "Nguyễn V. A.",
        "04/08/2025",  # received
        "11/08/2025",  # appointment: 5 working days
        "Hồ sơ cần bổ sung, hoàn thiện",
        "Bản sao giấy khai sinh có chứng thực",
        "Tiếp nhận hồ sơ",
        "Chuyển xử lý",
        "Thẩm định hồ sơ",
        "Yêu cầu bổ sung hồ sơ",
        "Tại Bộ phận Một cửa",
    ]:
        assert expected in body, expected


def test_no_personal_data_officer_or_internal_note_and_nothing_of_another_dossier(client, dossiers):
    t = dossiers
    body = lookup(client, t.mine.code).content.decode()
    for secret in [
        "Nguyễn Văn An",
        "Văn An",
        "034090001234",
        "0912345678",
        "an.nguyen@example.vn",
        "Đại Quan",
        "Bản sao bằng tốt nghiệp THCS",  # the request's own wording
        "Lê Thị Bình",
        "Phạm Văn Cường",
        "vg.motcua",
        "vg.chuyenvien",
        "Ghi chú nội bộ",
        "kho B",
        t.theirs.code,
        "Trần Thị Bích",
        "0988000111",
        "Chuyển trường",
        "Văn Lâm",
    ]:
        assert secret not in body, secret


def test_the_qr_code_link_opens_the_same_page(client, dossiers):
    t = dossiers
    assert lookup(client, t.mine.code.lower()).status_code == 200  # typed in lower case
    assert lookup(client, f"  {t.mine.code} ").status_code == 200  # pasted with spaces


def test_the_apology_letters_new_date_and_the_return_of_the_result(client, dossiers):
    t = dossiers
    services.dossier_complete_supplement(actor=t.desk_officer, dossier=t.mine, at=vn(2025, 8, 6, 9, 0))
    services.apology_letter_record(
        actor=t.desk_officer,
        dossier=t.mine,
        reason="Sổ gốc đang ở kho lưu trữ",
        extra_working_days=3,
        at=vn(2025, 8, 7, 9, 0),
    )
    t.mine.refresh_from_db()
    new_due = f"{t.mine.due_at:%d}"
    body = lookup(client, t.mine.code).content.decode()
    assert "Nhận đủ hồ sơ bổ sung" in body
    assert "hẹn lại theo văn bản xin lỗi" in body
    assert "Gửi văn bản xin lỗi, hẹn lại ngày trả" in body
    assert "Sổ gốc đang ở kho lưu trữ" not in body  # the letter's reason goes in the letter
    assert new_due

    services.dossier_hand_over(actor=t.desk_officer, dossier=t.mine, at=vn(2025, 8, 7, 10, 0))
    services.dossier_resolve(
        actor=t.desk_officer, dossier=t.mine, summary="Đã cấp bản sao số 12", at=vn(2025, 8, 7, 11, 0)
    )
    body = lookup(client, t.mine.code).content.decode()
    assert "Đã có kết quả giải quyết" in body
    assert "Đã cấp bản sao số 12" not in body
    services.dossier_return_result(
        actor=t.desk_officer, dossier=t.mine, method=ReturnMethod.POST, at=vn(2025, 8, 8, 9, 0)
    )
    body = lookup(client, t.mine.code).content.decode()
    assert "Đã trả kết quả" in body and "Qua bưu chính" in body and "08/08/2025" in body


def test_unknown_and_malformed_codes_get_the_same_answer(client, dossiers):
    t = dossiers
    # A real code with one letter of its random block changed, a code without its random
    # block, and garbage.
    real = t.mine.code
    unknown = real[:-1] + ("A" if real[-1] != "A" else "B")
    codes = [unknown, real.rsplit("-", 1)[0], "'; DROP TABLE dossiers_dossier; --", "x", "Ω" * 30]
    answers = [lookup(client, code) for code in codes]
    for code, response in zip(codes, answers, strict=True):
        assert response.status_code == 404, code
        body = response.content.decode()
        assert "Không tìm thấy hồ sơ" in body
        assert "Cấp bản sao" not in body and "Văn Giang" not in body
    # The typed code comes back in the field, to be corrected; nothing else differs.
    bodies = {re.sub(r'id="id_code" value="[^"]*"', "", r.content.decode()) for r in answers}
    assert len(bodies) == 1
    # Expires carries the second of the response: it may tick between two requests; the
    # Content-Security-Policy carries a fresh nonce on every response.
    varying = {"Content-Length", "Expires", "Date", "Content-Security-Policy"}
    headers = {tuple(sorted((k, v) for k, v in r.headers.items() if k not in varying)) for r in answers}
    assert len(headers) == 1


def test_unknown_and_malformed_codes_take_similar_time(client, dossiers):
    def best_of(code):
        times = []
        for _ in range(5):
            start = time.perf_counter()
            lookup(client, code, REMOTE_ADDR=f"10.0.{len(times)}.{len(code) % 250}")
            times.append(time.perf_counter() - start)
        return min(times)

    unknown, malformed = best_of("HY-VG-250804-0001-ZZZZZ"), best_of("!!")
    # Same path, one indexed query each: within a few milliseconds of each other.
    assert abs(unknown - malformed) < max(0.02, 0.5 * max(unknown, malformed))


def test_lookups_are_limited_per_client(client, dossiers):
    t = dossiers
    for n in range(10):
        assert lookup(client, f"HY-VG-250804-{n:04d}-AAAAA").status_code == 404
    refused = lookup(client, t.mine.code)
    assert refused.status_code == 429
    body = refused.content.decode()
    assert "Ông/Bà đã tra cứu quá nhiều lần" in body
    assert "Cấp bản sao" not in body  # even the right code is not answered
    assert 0 < int(refused["Retry-After"]) <= 61
    # Another citizen is not affected; the form without a code is never counted.
    assert lookup(client, t.mine.code, REMOTE_ADDR="192.0.2.7").status_code == 200
    assert client.get(STATUS).status_code == 200


def test_the_daily_limit(client, dossiers, monkeypatch):
    monkeypatch.setattr(
        ratelimit,
        "STATUS_LOOKUP_LIMITS",
        (ratelimit.Limit("minute", 1000, 60), ratelimit.Limit("day", 3, 86400)),
    )
    codes = [lookup(client, "HY-VG-250804-0001-AAAAA").status_code for _ in range(4)]
    assert codes == [404, 404, 404, 429]


def test_x_forwarded_for_is_ignored_unless_the_setting_trusts_it(client, dossiers, settings):
    for n in range(10):
        lookup(client, "HY-VG-250804-0001-AAAAA", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}")
    assert lookup(client, "HY-VG-250804-0001-AAAAA", HTTP_X_FORWARDED_FOR="198.51.100.99").status_code == 429

    settings.CCHC_TRUST_X_FORWARDED_FOR = True
    # Behind a trusted proxy: the right-most address is the one the proxy saw.
    response = lookup(client, dossiers.mine.code, HTTP_X_FORWARDED_FOR="203.0.113.9, 198.51.100.200")
    assert response.status_code == 200


def test_the_status_page_is_not_cached_nor_indexed(client, dossiers):
    response = lookup(client, dossiers.mine.code)
    assert "no-store" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    assert 'name="robots" content="noindex' in response.content.decode()
    assert not response.cookies


@pytest.mark.parametrize(
    "name, masked",
    [("Nguyễn Văn An", "Nguyễn V. A."), ("Lê Thị Ngọc Bích", "Lê T. N. B."), ("An", "A."), ("", "")],
)
def test_names_are_masked(name, masked):
    assert mask_name(name) == masked
