from django.http import HttpRequest

from icmc.access.membership import active_memberships


def actor(request: HttpRequest) -> dict[str, object]:
    current = getattr(request, "actor", None)
    if current is None or not request.user.is_authenticated:
        return {"actor": None, "memberships": []}
    return {"actor": current, "memberships": active_memberships(user=request.user)}  # type: ignore[arg-type]
