from django.utils.functional import SimpleLazyObject

from .scoping import scope_for

SESSION_KEY = "acting_unit_id"


def acting_unit_for(request):
    """The unit the user acts for: chosen in the header, else their first role's unit."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    memberships = scope_for(user).memberships
    wanted = request.session.get(SESSION_KEY)
    for membership in memberships:
        if membership.unit_id == wanted:
            return membership.unit
    return memberships[0].unit if memberships else None


class ActingUnitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.acting_unit = SimpleLazyObject(lambda: acting_unit_for(request))
        return self.get_response(request)
