"""Each role's home page is its work queue (DESIGN §4a): the panels a role sees, in order."""

import uuid
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.db.models import Count

from joinedup.accounts.models import User
from joinedup.accounts.roles import RoleCode
from joinedup.agencies.models import Agency
from joinedup.audit import selectors as audit_selectors
from joinedup.core import clock
from joinedup.core.actor import Actor
from joinedup.crisis import presenters as crisis_presenters
from joinedup.crisis import rules as crisis_rules
from joinedup.crisis import selectors as crisis_selectors
from joinedup.people import selectors as people_selectors
from joinedup.plans import presenters as plan_presenters
from joinedup.plans import selectors as plan_selectors
from joinedup.referrals import presenters as referral_presenters
from joinedup.referrals import selectors as referral_selectors
from joinedup.risk import presenters as risk_presenters
from joinedup.risk import selectors as risk_selectors
from joinedup.sharing.presenters import governance as governance_presenters
from joinedup.sharing.selectors import governance as governance_selectors

CASEWORK = {
    RoleCode.PRACTITIONER,
    RoleCode.CRISIS_WORKER,
    RoleCode.FORUM_COORDINATOR,
    RoleCode.MANAGER,
    RoleCode.VOLUNTEER,
}
REFERRAL_INBOX = {RoleCode.PRACTITIONER, RoleCode.CRISIS_WORKER, RoleCode.MANAGER}
REVIEWS = {RoleCode.PRACTITIONER, RoleCode.CRISIS_WORKER}
SMALL_NUMBER = 5  # counts below this are shown as "fewer than 5" so no one can be singled out


@dataclass
class Panel:
    template: str
    data: dict[str, Any] = field(default_factory=dict)


def _suppressed(count: int) -> str:
    return f"fewer than {SMALL_NUMBER}" if 0 < count < SMALL_NUMBER else str(count)


def _ig_panel(agency_id: uuid.UUID) -> dict[str, Any]:
    """The IG lead's queue: emergency-access reviews due, agreements to sign off or expiring, and
    subject access requests with their deadlines (no person is named here, so nothing is read)."""
    work = governance_selectors.ig_work(agency_id=agency_id)
    since = clock.now() - timedelta(days=7)
    return {
        "reviews": [governance_presenters.review_row(r, work.today, {}) for r in work.reviews],
        "reviews_total": work.reviews_total,
        "reviews_overdue": work.reviews_overdue,
        "awaiting_signoff": [governance_presenters.agreement_row(a, work.today) for a in work.awaiting_signoff],
        "expiring": [governance_presenters.agreement_row(a, work.today) for a in work.expiring],
        "subject_access": [governance_presenters.export_row(e, work.today) for e in work.subject_access],
        "denied": audit_selectors.denied_count(agency_id=agency_id, since=since),
    }


def _referral_panel(actor: Actor, route: str) -> dict[str, Any]:
    """My team's referral inbox: the next few due, with their response clocks, and how many wait or are late."""
    shown = referral_selectors.inbox(actor, tab="waiting", team_id=actor.team_id, route=route, limit=5)
    waiting, overdue = referral_selectors.inbox_counts(actor, team_id=actor.team_id)
    team = next((t.name for t in referral_selectors.teams_of(actor.agency_id) if t.pk == actor.team_id), "")
    return referral_presenters.inbox_panel(shown, waiting=waiting, overdue=overdue, team=team, now=clock.now())


def _reviews_panel(actor: Actor, route: str) -> dict[str, Any]:
    """Reviews coming up for the practitioner's own caseload: plans due within two weeks or overdue,
    and their agency's risk assessments older than the tool allows (a stale level misleads)."""
    today = clock.today()
    plans = plan_selectors.plans_due_for_review(actor, route=route)
    return {
        "plans": plan_presenters.items(plans, today),
        "assessments": [
            {
                "id": s.record.pk,
                "tool": s.record.tool.name,
                "level": s.record.level_label,
                "assessed": risk_presenters.ago(s.record.assessed_on, today),
                "person_id": s.record.person_id,
                "person_name": s.record.person.full_name,
            }
            for s in risk_selectors.assessments_due_for_review(actor, route=route)
        ],
    }


def panels(actor: Actor, *, route: str) -> list[Panel]:
    roles = {RoleCode(r) for r in actor.roles}
    shown: list[Panel] = []
    if crisis_rules.may_work_contacts(actor):
        # The crisis worker's work queue is the live board (DESIGN §4a): its oldest open contacts first.
        board = crisis_selectors.board(actor, route=route, limit=10)
        data = {"rows": crisis_presenters.board_rows(board), "summary": crisis_presenters.board_summary(board)}
        shown.append(Panel("web/panels/crisis.jinja", data))
    if roles & CASEWORK:
        shown.append(
            Panel("web/panels/caseload.jinja", {"page": people_selectors.caseload(actor, route=route, size=10)})
        )
    if roles & REVIEWS and actor.agency_id:
        shown.append(Panel("web/panels/reviews.jinja", _reviews_panel(actor, route)))
    if roles & REFERRAL_INBOX and actor.agency_id:
        shown.append(Panel("web/panels/referrals.jinja", _referral_panel(actor, route)))
    if RoleCode.IG_LEAD in roles and actor.agency_id:
        shown.append(Panel("web/panels/ig.jinja", _ig_panel(actor.agency_id)))
    if RoleCode.ANALYST in roles:
        counts = {k: _suppressed(v) for k, v in people_selectors.partnership_counts().items()}
        by_kind = Agency.objects.filter(active=True).values("kind").annotate(n=Count("pk")).order_by("kind")
        shown.append(Panel("web/panels/analyst.jinja", {"counts": counts, "agencies": list(by_kind)}))
    if RoleCode.SYSTEM_ADMIN in roles:
        users = User.objects.filter(is_active=True)
        without_mfa = users.exclude(totpdevice__confirmed=True).count()
        shown.append(Panel("web/panels/admin.jinja", {"users": users.count(), "without_mfa": without_mfa}))
    return shown
