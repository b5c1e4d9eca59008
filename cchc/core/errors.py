"""The one exception type for domain errors: its message is shown to the user as is."""


class DomainError(Exception):
    """A business rule refused an action. `message` is Vietnamese, ready for the user.

    `code` is a stable machine-readable key for the API; `field` names the form field
    the message belongs next to, when there is one.
    """

    def __init__(self, message: str, *, code: str = "invalid", field: str | None = None):
        super().__init__(message)
        self.message = str(message)
        self.code = code
        self.field = field


class PermissionDenied(DomainError):
    def __init__(self, message: str | None = None, *, code: str = "forbidden"):
        from django.utils.translation import gettext

        super().__init__(message or gettext("Bạn không có quyền thực hiện thao tác này."), code=code)


def domain_error_from(error) -> DomainError:
    """The first message of a Django ValidationError as a DomainError (with its field)."""
    if hasattr(error, "message_dict"):
        field, messages = next(iter(error.message_dict.items()))
        return DomainError(messages[0], field=None if field == "__all__" else field)
    return DomainError(error.messages[0])
