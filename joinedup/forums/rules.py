"""Who may *do* what at a forum (who may read a listed person is sharing.policy's decision)."""

from django.db.models import Q

from joinedup.accounts.roles import RoleCode
from joinedup.core.actor import Actor
from joinedup.sharing.models import Forum, ForumMembership
from joinedup.sharing.models.forums import memberships_in_force


def organises(actor: Actor, forum: Forum) -> bool:
    """The forum's chair or coordinator, or a forum coordinator of the host agency: runs the forum."""
    if actor.agency_id is None or actor.agency_id != forum.host_id:
        return False
    return actor.user_id in (forum.chair_id, forum.coordinator_id) or actor.has_role(RoleCode.FORUM_COORDINATOR)


def is_member(actor: Actor, forum: Forum) -> bool:
    """The actor's agency sits on the forum now (the host counts as a member when it is listed as one)."""
    if actor.agency_id is None:
        return False
    return ForumMembership.objects.filter(memberships_in_force(), forum=forum, agency_id=actor.agency_id).exists()


def forums_of(actor: Actor) -> Q:
    """A filter on Forum: the forums the actor's agency hosts or sits on now."""
    if actor.agency_id is None:
        return Q(pk__in=[])
    members = ForumMembership.objects.filter(memberships_in_force(), agency_id=actor.agency_id).values("forum_id")
    return Q(host_id=actor.agency_id) | Q(pk__in=members)


def sees_dashboard(actor: Actor, forum: Forum) -> bool:
    """The forum's figures: its organiser, managers of its member agencies, and any agency's analysts
    (the figures are aggregates, all an analyst may see)."""
    if actor.has_role(RoleCode.ANALYST) or organises(actor, forum):
        return True
    return actor.has_role(RoleCode.MANAGER) and is_member(actor, forum)
