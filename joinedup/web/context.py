"""What every page needs: the signed-in user's agency and roles, navigation, session timings."""

from collections.abc import Callable
from functools import cache
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse

from joinedup.accounts import mfa
from joinedup.accounts.actors import request_actor
from joinedup.accounts.roles import ROLE_LABELS, RoleCode
from joinedup.accounts.rules import Permission, has_permission
from joinedup.core.actor import Actor
from joinedup.crisis.rules import may_work_contacts
from joinedup.sharing.services import may_request


def _navigation(request: HttpRequest) -> list[dict[str, Any]]:
    actor = request_actor(request)
    items = [("Home", "web:home", True), ("People", "people:search", has_permission(actor, Permission.SEARCH_PEOPLE))]
    items.append(("Crisis board", "crisis:board", may_work_contacts(actor)))
    items.append(("Referrals", "referrals:inbox", has_permission(actor, Permission.SEARCH_PEOPLE)))
    items.append(("Forums", "forums:list", has_permission(actor, Permission.SEARCH_PEOPLE)))
    items.append(("My actions", "actions:mine", has_permission(actor, Permission.SEARCH_PEOPLE)))
    items.append(("Plans", "plans:mine", has_permission(actor, Permission.SEARCH_PEOPLE)))
    items.append(("Agencies", "agencies:directory", True))
    items.append(("Services", "directory:search", True))
    items.append(("Information governance", "sharing:governance", actor.has_role(RoleCode.IG_LEAD)))
    path = request.path
    nav = []
    for text, name, shown in items:
        if not shown:
            continue
        href = reverse(name)
        current = path == href if href == "/" else path.startswith(href)
        nav.append({"text": text, "href": href, "current": current})
    return nav


def _lazy_may_request(actor: Actor) -> Callable[[], bool]:
    """Whether the user's role may ask for emergency access: asked only by pages that offer it."""
    return cache(lambda: may_request(actor))


def page_context(request: HttpRequest) -> dict[str, Any]:
    context: dict[str, Any] = {
        "demo_mode": settings.DEMO_MODE,
        "signed_in": False,
    }
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not mfa.session_verified(request):
        return context
    actor = request_actor(request)
    role_labels = [ROLE_LABELS[RoleCode(r)] for r in sorted(actor.roles)]
    context.update(
        signed_in=True,
        actor=actor,
        account_name=user.display_name,
        account_agency=actor.agency_name or "joinedup",
        account_roles=", ".join(role_labels) or "No role",
        navigation=_navigation(request),
        may_request_emergency_access=_lazy_may_request(actor),
        idle_seconds=int(settings.SESSION_IDLE_TIMEOUT.total_seconds()),
        warning_seconds=int(settings.SESSION_IDLE_WARNING.total_seconds()),
    )
    return context
