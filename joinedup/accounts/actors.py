"""Turning a signed-in user into the `Actor` that services and selectors take."""

from django.db.models import Q
from django.http import HttpRequest

from joinedup.accounts.models import RoleGrant, User
from joinedup.core import clock
from joinedup.core.actor import Actor


def roles_in_force(user: User) -> frozenset[str]:
    now = clock.now()
    grants = RoleGrant.objects.filter(user=user, starts_at__lte=now).filter(
        Q(ends_at__isnull=True) | Q(ends_at__gt=now)
    )
    return frozenset(grants.values_list("role__code", flat=True))


def actor_for(user: User, request_id: str) -> Actor:
    agency = user.agency
    return Actor(
        user_id=user.pk,
        username=user.username,
        agency_id=agency.pk if agency else None,
        agency_name=agency.name if agency else "",
        team_id=user.team_id,
        roles=roles_in_force(user) if user.is_active else frozenset(),
        request_id=request_id,
    )


def request_actor(request: HttpRequest) -> Actor:
    """The actor for this request, built once and kept on the request."""
    actor = getattr(request, "_joinedup_actor", None)
    if actor is None:
        user = request.user
        if not isinstance(user, User):
            raise PermissionError("An actor needs a signed-in user")
        actor = actor_for(user, getattr(request, "request_id", ""))
        request._joinedup_actor = actor  # type: ignore[attr-defined]
    return actor
