"""A domain permission error escaping a view is a 403, not a 500."""

from django.test import RequestFactory

from cchc.core.errors import PermissionDenied
from cchc.core.middleware import DomainPermissionMiddleware


def test_a_domain_permission_error_becomes_a_403_page(db):
    middleware = DomainPermissionMiddleware(lambda request: None)
    request = RequestFactory().get("/plans/1/")
    response = middleware.process_exception(request, PermissionDenied("Bạn không có quyền duyệt báo cáo."))
    assert response.status_code == 403
    assert middleware.process_exception(request, ValueError("x")) is None
