from .scoping import scope_for


def acting_unit(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    unit = getattr(request, "acting_unit", None)
    return {
        "acting_unit": unit if unit else None,
        "user_memberships": scope_for(user).memberships,
    }
