from django.http import HttpRequest

from icmc.access.membership import active_memberships


def actor(request: HttpRequest) -> dict[str, object]:
    current = getattr(request, "actor", None)
    if current is None or not request.user.is_authenticated:
        return {"actor": None, "memberships": []}
    memberships = getattr(request, "_icmc_memberships", None)  # read by actor_for_session for this request
    if memberships is None:
        memberships = active_memberships(user=request.user)  # type: ignore[arg-type]
    return {"actor": current, "memberships": memberships}
