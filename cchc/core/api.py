"""What every app's API shares: authentication, the error shape, pagination.

An endpoint reads the caller from `request.auth_user` (the same user object whether a
bearer token or the browser session authenticated the call) and asks
`cchc.orgs.scoping.scope_for(request.auth_user)` what that user may see. Errors are
raised, not returned: `DomainError` (400), `PermissionDenied` (403), `Http404` (404);
the handlers registered in `cchc/api.py` turn them into `ErrorOut` JSON.

    router = Router(tags=["..."])

    @router.get("/things/{thing_id}", response={200: ThingOut, **error_responses(404)})
    def thing_detail(request, thing_id: int):
        return scope_for(request.auth_user).get_object(Thing.objects.all(), pk=thing_id)
"""

import datetime as dt
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.pagination import LimitOffsetPagination
from ninja.parser import Parser as NinjaParser
from ninja.security import HttpBearer
from ninja.security import SessionAuth as NinjaSessionAuth
from ninja.utils import check_csrf

from cchc.core.errors import DomainError, PermissionDenied

# A token's last use is written at most this often, so reads do not all become writes.
LAST_USED_GRANULARITY = dt.timedelta(minutes=1)


# --- authentication ------------------------------------------------------------------
class ApiTokenAuth(HttpBearer):
    """`Authorization: Bearer <token>`, a token issued with `cchc api_token USERNAME`."""

    openapi_description = (
        "Mã truy cập cấp bằng lệnh `cchc api_token TÊN_ĐĂNG_NHẬP --name …`; "
        "gửi trong tiêu đề `Authorization: Bearer <mã>`."
    )

    def __call__(self, request: HttpRequest) -> Any:
        # Every operation authenticates first: the one place that sees the path for all of
        # them (ninja hands path parameters to the view without the parser).
        _refuse_nul(request.path_info, "path")
        return super().__call__(request)

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        from cchc.orgs.models import ApiToken
        from cchc.orgs.services_tokens import api_token_hash

        # A token was offered: a wrong one is refused here rather than falling through
        # to the session, so an integration learns at once that its token is dead.
        token = token.strip()
        if not token or len(token) > 200:
            raise AuthenticationError()
        # Looking up the hash, not the secret, keeps the comparison free of timing leaks.
        row = ApiToken.objects.select_related("user").filter(key_hash=api_token_hash(token)).first()
        now = timezone.now()
        if (
            row is None
            or row.revoked_at is not None
            or (row.expires_at is not None and row.expires_at <= now)
            or not row.user.is_active
        ):
            raise AuthenticationError()
        if row.last_used_at is None or row.last_used_at <= now - LAST_USED_GRANULARITY:
            ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
            row.last_used_at = now
        request.auth_user = row.user
        request.api_token = row
        return row.user


class SessionAuth(NinjaSessionAuth):
    """The logged-in browser session, so the application's own pages can call the API.

    Unsafe methods need the CSRF token (header `X-CSRFToken`), as for any form. Without a
    session nothing is checked and the answer is 401, not a CSRF error.
    """

    openapi_description = "Phiên đăng nhập của trình duyệt (kèm mã CSRF khi ghi dữ liệu)."

    def __init__(self) -> None:
        super().__init__(csrf=True)

    def __call__(self, request: HttpRequest) -> Any:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if not getattr(request, "_ninja_csrf_exempt", False) and check_csrf(request):
            raise PermissionDenied(
                _("Phiên làm việc thiếu mã chống giả mạo (CSRF). Vui lòng tải lại trang."),
                code="csrf_failed",
            )
        request.auth_user = user
        request.api_token = None
        return user


# --- errors --------------------------------------------------------------------------
class ErrorOut(Schema):
    """Lỗi: mã lỗi cố định cho máy đọc và thông báo tiếng Việt cho người dùng."""

    code: str = Field(description="Mã lỗi cố định, ví dụ `not_found`, `forbidden`, `required`.")
    message: str = Field(description="Thông báo bằng tiếng Việt, hiển thị được cho người dùng.")
    field: str | None = Field(None, description="Trường dữ liệu gây lỗi, nếu có.")


class ValidationErrorItem(Schema):
    loc: list[str | int] = Field(description='Vị trí của giá trị lỗi, ví dụ `["body", "name"]`.')
    msg: str = Field(description="Mô tả lỗi (tiếng Anh, do thư viện kiểm tra dữ liệu sinh ra).")
    type: str = Field(description="Loại lỗi, ví dụ `missing`, `int_parsing`.")


class ValidationErrorOut(Schema):
    """Dữ liệu gửi lên không đúng định dạng (thiếu trường, sai kiểu, …)."""

    code: str = Field(description="Luôn là `validation_error`.")
    message: str = Field(description="Thông báo chung bằng tiếng Việt.")
    errors: list[ValidationErrorItem]


def error_responses(*statuses: int) -> dict[int, type[Schema]]:
    """The error part of an operation's `response=`: 401 and 422 always, plus `statuses`."""
    result: dict[int, type[Schema]] = {401: ErrorOut, 422: ValidationErrorOut}
    for status in statuses:
        result[status] = ValidationErrorOut if status == 422 else ErrorOut
    return dict(sorted(result.items()))


def _error(api, request, status: int, code: str, message: str, **extra) -> HttpResponse:
    return api.create_response(request, {"code": code, "message": str(message), **extra}, status=status)


def _is_forbidden(exc: DomainError) -> bool:
    # Some services signal a refusal as DomainError(code="forbidden") rather than the
    # PermissionDenied subclass; both mean 403 to a client.
    return isinstance(exc, PermissionDenied) or exc.code == "forbidden"


def install_error_handlers(api) -> None:
    """Every error the API returns has the `ErrorOut` (or `ValidationErrorOut`) shape."""

    def domain_error(request, exc: DomainError):
        status = 403 if _is_forbidden(exc) else 400
        return _error(api, request, status, exc.code, exc.message, field=exc.field)

    def django_permission_denied(request, exc):
        return _error(api, request, 403, "forbidden", _("Bạn không có quyền thực hiện thao tác này."))

    def model_validation_error(request, exc: DjangoValidationError):
        # A model's full_clean() refused the data: report the first message, like a form.
        if hasattr(exc, "error_dict"):
            field, errors = next(iter(exc.error_dict.items()))
            message = errors[0].messages[0] if errors else str(exc)
        else:
            field, message = None, exc.messages[0] if exc.messages else str(exc)
        if field == NON_FIELD_ERRORS:
            field = None
        return _error(api, request, 400, "invalid", message, field=field)

    def not_found(request, exc):
        return _error(api, request, 404, "not_found", _("Không tìm thấy."))

    def unauthenticated(request, exc):
        return _error(api, request, 401, "unauthenticated", _("Thiếu hoặc sai mã truy cập (token)."))

    def http_error(request, exc: HttpError):
        if isinstance(exc.__cause__, NinjaValidationError):  # the body parser refused a value
            return validation_error(request, exc.__cause__)
        # Raised by ninja itself (unreadable body, throttling): give them our shape too.
        known = {
            400: ("bad_request", _("Không đọc được nội dung yêu cầu (JSON không hợp lệ).")),
            403: ("forbidden", _("Bạn không có quyền thực hiện thao tác này.")),
            429: ("throttled", _("Quá nhiều yêu cầu, vui lòng thử lại sau.")),
        }
        code, message = known.get(exc.status_code, ("error", str(exc)))
        return _error(api, request, exc.status_code, code, message, field=None)

    def validation_error(request, exc: NinjaValidationError):
        errors = [
            {"loc": list(e.get("loc", [])), "msg": str(e.get("msg", "")), "type": str(e.get("type", ""))}
            for e in exc.errors
        ]
        return _error(api, request, 422, "validation_error", _("Dữ liệu không hợp lệ."), errors=errors)

    api.add_exception_handler(DomainError, domain_error)
    api.add_exception_handler(DjangoPermissionDenied, django_permission_denied)
    api.add_exception_handler(DjangoValidationError, model_validation_error)
    api.add_exception_handler(Http404, not_found)
    api.add_exception_handler(AuthenticationError, unauthenticated)
    api.add_exception_handler(HttpError, http_error)
    api.add_exception_handler(NinjaValidationError, validation_error)


# --- parsing -------------------------------------------------------------------------
def _nul_locations(value: Any, loc: tuple) -> list[tuple]:
    if isinstance(value, str):
        return [loc] if "\x00" in value else []
    if isinstance(value, dict):
        found = [loc + (str(key),) for key in value if isinstance(key, str) and "\x00" in key]
        return found + [hit for key, item in value.items() for hit in _nul_locations(item, loc + (str(key),))]
    if isinstance(value, list):
        return [hit for index, item in enumerate(value) for hit in _nul_locations(item, loc + (index,))]
    return []


def _refuse_nul(value: Any, where: str) -> Any:
    found = _nul_locations(value, (where,))
    if found:
        raise NinjaValidationError([
            {"loc": list(loc), "msg": "String should not contain the NUL character", "type": "string_nul"}
            for loc in found
        ])
    return value


class Parser(NinjaParser):
    """JSON and query parsing that refuses the NUL character (\\u0000) with a 422.

    PostgreSQL cannot store it in a text column nor compare with it, so such a string
    reached the database and came back as a 500 (found by the API fuzzing); Django's
    forms refuse it the same way (ProhibitNullCharactersValidator).
    """

    def parse_body(self, request: HttpRequest) -> Any:
        return _refuse_nul(super().parse_body(request), "body")

    def parse_querydict(self, data, list_fields, request: HttpRequest) -> Any:
        return _refuse_nul(super().parse_querydict(data, list_fields, request), "query")


# --- pagination ----------------------------------------------------------------------
class Pagination(LimitOffsetPagination):
    """`?limit=&offset=`; answers `{"items": [...], "count": total}`."""

    class Input(Schema):
        limit: int = Field(50, ge=1, le=200, description="Số bản ghi tối đa trả về (1–200).")
        # Bounded: an offset past 64 bits reached the database and came back as a 500.
        offset: int = Field(0, ge=0, le=2_147_483_647, description="Số bản ghi bỏ qua từ đầu danh sách.")

    class Output(Schema):
        items: list[Any]
        count: int = Field(description="Tổng số bản ghi khớp điều kiện lọc.")

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_limit=200, **kwargs)
