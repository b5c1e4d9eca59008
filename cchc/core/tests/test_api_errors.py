"""Every error the API returns is JSON with a stable code and a Vietnamese message."""

import json

import pytest
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.test import RequestFactory
from ninja import NinjaAPI

from cchc.core.api import install_error_handlers
from cchc.core.errors import DomainError, PermissionDenied


@pytest.fixture
def respond():
    api = NinjaAPI(urls_namespace="test-errors")
    install_error_handlers(api)
    request = RequestFactory().get("/")

    def respond(exc):
        response = api.on_exception(request, exc)
        return response.status_code, json.loads(response.content)

    return respond


def test_domain_error_is_400_with_code_and_field(respond):
    status, body = respond(DomainError("Vui lòng nhập tên đơn vị.", code="required", field="name"))

    assert status == 400
    assert body == {"code": "required", "message": "Vui lòng nhập tên đơn vị.", "field": "name"}


def test_permission_denied_is_403(respond):
    status, body = respond(PermissionDenied())

    assert status == 403
    assert body == {
        "code": "forbidden",
        "message": "Bạn không có quyền thực hiện thao tác này.",
        "field": None,
    }


def test_domain_error_coded_forbidden_is_403(respond):
    status, body = respond(DomainError("Chỉ quản trị hệ thống được tạo đơn vị gốc.", code="forbidden"))

    assert status == 403
    assert body["message"] == "Chỉ quản trị hệ thống được tạo đơn vị gốc."


def test_djangos_permission_denied_is_403(respond):
    status, body = respond(DjangoPermissionDenied())

    assert status == 403
    assert body["code"] == "forbidden"


def test_model_validation_error_names_its_field(respond):
    status, body = respond(DjangoValidationError({"email": ["Nhập một địa chỉ email hợp lệ."]}))

    assert status == 400
    assert body == {"code": "invalid", "message": "Nhập một địa chỉ email hợp lệ.", "field": "email"}


def test_model_validation_error_without_field(respond):
    status, body = respond(DjangoValidationError("Ngày giải thể phải sau ngày thành lập."))

    assert status == 400
    assert body["field"] is None
    assert body["message"] == "Ngày giải thể phải sau ngày thành lập."
