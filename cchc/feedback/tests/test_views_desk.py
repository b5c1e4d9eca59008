"""The officers' feedback screens as the reform officer of Phòng GD&ĐT Văn Giang uses
them, with a colleague of the same office, and the officer of the sibling office (Văn
Lâm) who must see nothing of Văn Giang's feedback."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from cchc.feedback import services
from cchc.feedback.models import Feedback, FeedbackNote, FeedbackStatus
from cchc.orgs.models import Role
from cchc.orgs.tests.factories import make_user
from cchc.workdays.calendar import VN_TZ

from .factories import submit

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 64


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def colleague(province):
    return make_user("vg.cchc2", province.office_a, Role.REFORM_OFFICER, first_name="Lan", last_name="Lê")


@pytest.fixture
def officer(client, province):
    client.force_login(province.office_a_officer)
    return client


def now_minus(days: int) -> dt.datetime:
    return timezone.now().astimezone(VN_TZ) - dt.timedelta(days=days)


@pytest.fixture
def late(province):
    """Received 40 days ago: overdue."""
    return submit(province.office_a, at=now_minus(40), topic="Chậm trả học bạ", wants_publication=True)


@pytest.fixture
def fresh(province):
    return submit(province.office_a, at=now_minus(0), topic="Giờ tiếp nhận hồ sơ")


def act(client, feedback, action, **data):
    body = {f"{action}-{k}": v for k, v in data.items()}
    return client.post(reverse("feedback_act", args=[feedback.pk, action]), body)


# --- the queue ---------------------------------------------------------------------------


def test_the_queue_puts_the_overdue_first_with_badges_and_the_summary(officer, province, late, fresh):
    response = officer.get(reverse("feedback_queue"))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.index(late.code) < html.index(fresh.code)
    assert "Quá hạn" in html and "Còn 10 ngày làm việc" in html
    assert "Phòng Giáo dục và Đào tạo Văn Giang — năm" in html
    assert "Số phản ánh, kiến nghị tiếp nhận" in html


def test_the_queue_filters_by_text_kind_status_and_mine(officer, province, late, fresh):
    t = province
    services.feedback_assign(actor=t.office_a_officer, feedback=late, officer=t.office_a_officer)
    url = reverse("feedback_queue")
    assert [r["feedback"] for r in officer.get(url, {"q": "học bạ"}).context["rows"]] == [late]
    assert [r["feedback"] for r in officer.get(url, {"q": fresh.code[-6:]}).context["rows"]] == [fresh]
    assert [r["feedback"] for r in officer.get(url, {"mine": "on"}).context["rows"]] == [late]
    assert [r["feedback"] for r in officer.get(url, {"status": "assigned"}).context["rows"]] == [late]
    assert officer.get(url, {"kind": "about_conduct"}).context["rows"] == []
    assert len(officer.get(url, {"kind": "suggestion"}).context["rows"]) == 2
    # htmx gets only the rows
    partial = officer.get(url, {"q": "học bạ"}, headers={"HX-Request": "true"})
    assert b"<html" not in partial.content and late.code.encode() in partial.content


def test_the_queue_marks_escalated_feedback(officer, client, province):
    t = province
    feedback = submit(t.school_a1, at=now_minus(40))
    assert services.feedback_escalate_overdue() == 1
    html = officer.get(reverse("feedback_queue")).content.decode()
    assert feedback.code in html and "chuyển từ Trường Tiểu học Xuân Quan" in html


def test_the_queue_and_export_of_a_sibling_office_show_nothing(client, province, late):
    client.force_login(province.office_b_officer)
    assert late.code not in client.get(reverse("feedback_queue")).content.decode()
    workbook = load_workbook(io.BytesIO(client.get(reverse("feedback_export")).content))
    assert late.code not in [c.value for row in workbook.active.iter_rows() for c in row]


def test_a_reader_without_the_feedback_right_gets_a_read_only_list(client, province, fresh):
    school = submit(province.school_a1, topic="Sân trường ngập nước")
    client.force_login(province.school_a1_staff)
    response = client.get(reverse("feedback_queue"))
    assert response.status_code == 200
    assert [r["feedback"] for r in response.context["rows"]] == [school]
    assert "Bạn chỉ có quyền xem các phản ánh này." in response.content.decode()
    sheet = load_workbook(io.BytesIO(client.get(reverse("feedback_export")).content)).active
    values = [c.value for row in sheet.iter_rows() for c in row]
    assert school.code in values and fresh.code not in values
    assert act(client, school, "note", text="x").status_code == 403


def test_the_export_opens_with_openpyxl_and_has_the_filtered_rows(officer, province, late, fresh):
    response = officer.get(reverse("feedback_export"), {"q": "học bạ"})
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [c.value for row in sheet.iter_rows() for c in row]
    assert late.code in values and fresh.code not in values
    assert "Chậm trả học bạ" in values
    everything = load_workbook(io.BytesIO(officer.get(reverse("feedback_export")).content)).active
    codes = [c.value for row in everything.iter_rows() for c in row if str(c.value).startswith("PA-")]
    assert codes == [late.code, fresh.code]


# --- a feedback ------------------------------------------------------------------------


def test_the_page_shows_everything_with_the_content_escaped(officer, province):
    feedback = submit(province.office_a, content="<script>alert('x')</script> Xin trả lời sớm")
    html = officer.get(reverse("feedback_detail", args=[feedback.pk])).content.decode()
    assert "<script>alert" not in html and "&lt;script&gt;alert" in html
    assert "Trần Thị Bình" in html and "Tiếp nhận phản ánh, kiến nghị" in html
    assert 'id="action-assign"' in html and 'id="action-answer"' not in html
    assert 'id="action-note"' in html


def test_a_sibling_office_gets_404_everywhere(client, province, late):
    client.force_login(province.office_b_officer)
    assert client.get(reverse("feedback_detail", args=[late.pk])).status_code == 404
    for action in ("assign", "answer", "publish", "route", "reject", "note"):
        assert act(client, late, action, text="x", reason="x", answer="x").status_code == 404
    assert FeedbackNote.objects.count() == 0


def test_attachments_download_as_attachments_with_their_type_inside_the_scope(officer, client, province):
    upload = SimpleUploadedFile("ảnh chụp.png", PNG, content_type="image/png")
    feedback = submit(province.office_a, attachments=[upload])
    attachment = feedback.attachments.get()
    url = reverse("feedback_attachment", args=[feedback.pk, attachment.pk])
    response = officer.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")
    other = submit(province.office_a)
    assert officer.get(reverse("feedback_attachment", args=[other.pk, attachment.pk])).status_code == 404
    client.force_login(province.office_b_officer)
    assert client.get(url).status_code == 404


def test_assign_note_answer_publish_by_the_officer(officer, province, colleague, late):
    t = province
    page = officer.get(reverse("feedback_detail", args=[late.pk]))
    assert colleague in page.context["actions"][0]["form"].fields["officer"].queryset
    response = act(officer, late, "assign", officer=colleague.pk)
    assert response.status_code == 302
    late.refresh_from_db()
    assert (late.status, late.officer) == (FeedbackStatus.ASSIGNED, colleague)
    assert act(officer, late, "note", text="Đã gọi điện cho người gửi").status_code == 302
    assert act(officer, late, "answer", answer="Nhà trường đã trả học bạ.").status_code == 302
    late.refresh_from_db()
    assert late.status == FeedbackStatus.ANSWERED and late.answered_on_time is False
    html = officer.get(reverse("feedback_detail", args=[late.pk])).content.decode()
    assert "Đã gọi điện cho người gửi" in html and 'id="action-publish"' in html
    assert act(officer, late, "publish").status_code == 302
    late.refresh_from_db()
    assert late.status == FeedbackStatus.PUBLISHED
    assert t.office_a_officer.pk in set(late.events.values_list("actor", flat=True))


def test_the_colleague_may_handle_it_too(client, province, colleague, fresh):
    client.force_login(colleague)
    assert client.get(reverse("feedback_detail", args=[fresh.pk])).status_code == 200
    assert act(client, fresh, "assign", officer=colleague.pk).status_code == 302
    assert act(client, fresh, "reject", reason="Là đơn khiếu nại").status_code == 302
    fresh.refresh_from_db()
    assert fresh.status == FeedbackStatus.REJECTED and fresh.rejection_reason == "Là đơn khiếu nại"


def test_the_department_routes_a_feedback_to_the_office(client, province):
    t = province
    feedback = submit(t.department)
    client.force_login(t.dept_officer)
    page = client.get(reverse("feedback_detail", args=[feedback.pk]))
    route = next(a for a in page.context["more_actions"] if a["slug"] == "route")
    assert t.office_a in route["form"].fields["to_unit"].queryset
    assert act(client, feedback, "route", to_unit=t.office_a.pk, note="Thuộc thẩm quyền").status_code == 302
    feedback.refresh_from_db()
    assert feedback.unit == t.office_a
    # The office's officer cannot route it to the sibling office (not in the list)
    client.force_login(t.office_a_officer)
    response = act(client, feedback, "route", to_unit=t.office_b.pk)
    assert response.status_code == 200
    forms = [a["form"] for a in response.context["actions"] + response.context["more_actions"]]
    assert any("to_unit" in form.errors for form in forms)
    feedback.refresh_from_db()
    assert feedback.unit == t.office_a


def test_a_state_that_does_not_allow_the_action_says_so_and_keeps_the_text(officer, province, fresh):
    response = act(officer, fresh, "answer", answer="Trả lời khi chưa phân công")
    assert response.status_code == 200
    html = response.content.decode()
    assert "chưa được phân công cán bộ xử lý, chưa thể trả lời" in html
    assert "Trả lời khi chưa phân công" in html
    assert Feedback.objects.get(pk=fresh.pk).status == FeedbackStatus.RECEIVED


def test_publishing_without_consent_is_refused(officer, province, fresh):
    t = province
    services.feedback_assign(actor=t.office_a_officer, feedback=fresh, officer=t.office_a_officer)
    services.feedback_answer(actor=t.office_a_officer, feedback=fresh, answer="Đã tiếp thu.")
    html = officer.get(reverse("feedback_detail", args=[fresh.pk])).content.decode()
    assert 'id="action-publish"' not in html and "không đồng ý công khai" in html
    response = act(officer, fresh, "publish")
    assert "Người gửi không đồng ý công khai" in response.content.decode()
    assert Feedback.objects.get(pk=fresh.pk).status == FeedbackStatus.ANSWERED


def test_an_empty_note_and_reason_are_refused_in_vietnamese(officer, province, fresh):
    assert "Cần nhập nội dung ghi chú." in act(officer, fresh, "note", text="").content.decode()
    assert "Cần nêu rõ lý do" in act(officer, fresh, "reject", reason="").content.decode()


def test_a_viewer_reads_without_actions_or_notes(client, province, fresh):
    services.feedback_note_add(actor=province.office_a_officer, feedback=fresh, text="Nội bộ: bí mật")
    client.force_login(province.viewer)
    html = client.get(reverse("feedback_detail", args=[fresh.pk])).content.decode()
    assert "Nội bộ: bí mật" not in html and "Bạn chỉ có quyền xem" in html
    assert act(client, fresh, "note", text="x").status_code == 403


def test_the_queue_export_and_page_do_not_query_per_row(officer, province, colleague):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    t = province

    def count(url, **query):
        with CaptureQueriesContext(connection) as queries:
            assert officer.get(url, query).status_code == 200
        return len(queries)

    first = submit(t.office_a, at=now_minus(30))
    services.feedback_assign(actor=t.office_a_officer, feedback=first, officer=colleague)
    services.feedback_note_add(actor=t.office_a_officer, feedback=first, text="Một")
    few = (count(reverse("feedback_queue")), count(reverse("feedback_export")))
    page_few = count(reverse("feedback_detail", args=[first.pk]))
    for days in range(6):
        other = submit(t.school_a1, at=now_minus(days))
        services.feedback_assign(actor=t.office_a_officer, feedback=other, officer=colleague)
        services.feedback_note_add(actor=t.office_a_officer, feedback=first, text=f"Ghi chú {days}")
    assert (count(reverse("feedback_queue")), count(reverse("feedback_export"))) == few
    assert count(reverse("feedback_detail", args=[first.pk])) == page_few


def test_the_officers_offered_are_those_who_handle_feedback_in_the_unit(officer, province, colleague):
    t = province
    feedback = submit(t.school_a1, at=now_minus(1))
    form = officer.get(reverse("feedback_detail", args=[feedback.pk])).context["actions"][0]["form"]
    offered = set(form.fields["officer"].queryset)
    assert {t.office_a_officer, colleague, t.dept_officer, t.school_a1_head, t.desk_officer} <= offered
    assert not offered & {t.school_a1_staff, t.office_b_officer, t.viewer, t.school_a2_head}


def test_an_escalated_feedback_says_where_it_came_from(client, province):
    t = province
    feedback = submit(t.school_a1, at=now_minus(40))
    services.feedback_escalate_overdue()
    client.force_login(t.office_a_officer)
    html = client.get(reverse("feedback_detail", args=[feedback.pk])).content.decode()
    assert "chuyển từ Trường Tiểu học Xuân Quan" in html and "Quá hạn, chuyển cấp trên xử lý" in html
    client.force_login(t.school_a2_head)
    assert client.get(reverse("feedback_detail", args=[feedback.pk])).status_code == 404
