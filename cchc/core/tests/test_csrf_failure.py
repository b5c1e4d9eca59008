"""A form refused for its stale security token gives back what was typed, as text."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_a_stale_public_form_shows_back_the_typed_text_escaped(province):
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        "/public/feedback/new/",
        {
            "topic": "Thu tiền học thêm",
            "content": "Nhà trường thu 200.000 đ/tháng <script>alert(1)</script>",
            "website": "",
            "csrfmiddlewaretoken": "stale",
        },
    )
    body = response.content.decode()
    assert response.status_code == 403
    assert "Chưa gửi được" in body and "Nội dung bạn đã nhập" in body
    assert "Thu tiền học thêm" in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body and "<script>alert(1)" not in body
    assert "stale" not in body  # the machinery is not shown


def test_a_stale_officer_form_uses_the_application_layout(province):
    client = Client(enforce_csrf_checks=True)
    client.force_login(province.office_a_officer)
    response = client.post("/feedback/1/act/answer/", {"answer": "Đã xử lý xong."})
    assert response.status_code == 403
    assert "Đã xử lý xong." in response.content.decode()
