"""A small, independent reference implementation of the one access policy (DESIGN §3).

It reasons over plain data (the dataclasses below), never the ORM, and shares no code with
`joinedup.sharing.policy`: the property tests hold the real policy, selectors, pages and API to it.
Every rule here is written from DESIGN §3 and the product decisions recorded with the issue
"Information sharing: consent, sharing agreements, emergency access — one policy, proven and audited".

A world is a snapshot of facts at one moment (`World.now`); moving time or withdrawing a consent
is a new world (`dataclasses.replace`), so "takes effect on the very next request" is simply
"the next answer equals the oracle's answer for the new world".
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")

CATEGORIES = (
    "identity",
    "contact",
    "mental_health",
    "substance_use",
    "physical_health",
    "criminal_justice",
    "housing",
    "social_care",
    "safeguarding",
    "risk",
    "coordination",
)
PURPOSES = ("direct_care", "forum", "emergency", "review", "governance", "analytics")
SCOPE_PURPOSES = tuple(p for p in PURPOSES if p != "analytics")  # analytics never appears in a scope

_ALL = frozenset(CATEGORIES)
CEILINGS: dict[str, frozenset[str]] = {
    "practitioner": _ALL,
    "crisis_worker": _ALL,
    "forum_coordinator": _ALL,
    "manager": _ALL,
    "ig_lead": _ALL,
    "volunteer": frozenset({"identity", "contact", "coordination", "housing"}),
    "analyst": frozenset(),
    "system_admin": frozenset(),
}

# What an agency's involvement with a person reveals, by the agency's kind.
INVOLVEMENT_CATEGORY: dict[str, str] = {
    "nhs_mental_health": "mental_health",
    "crisis": "mental_health",
    "dbi_crisis_centre": "mental_health",
    "substance_use": "substance_use",
    "police": "criminal_justice",
    "probation": "criminal_justice",
    "housing": "housing",
    "adult_social_care": "social_care",
    "ambulance": "coordination",
    "emergency_department": "coordination",
    "gp_out_of_hours": "coordination",
    "voluntary_sector": "coordination",
    "other": "coordination",
}

LIVE_REFERRAL_STATES = frozenset({"open", "accepted"})
CONSENT_LAWFUL_BASIS = "a_consent"
EXPLICIT_CONSENT_CONDITION = "a_explicit_consent"

# Record kinds, named as the audit trail names them ("app_label.model").
PERSON = "people.person"
ALIAS = "people.alias"
IDENTIFIER = "people.localidentifier"
CONTACT = "people.contactdetail"
ADDRESS = "people.address"
INVOLVEMENT = "people.involvement"
CASE_NOTE = "sharing.casenote"
CONSENT = "sharing.consent"
FORUM_CASE = "sharing.forumcase"
REFERRAL_RECORD = "referrals.referral"  # the referrer's record of a referral (its sharing ground is a Referral below)
LEAD_AGENCY = "people.leadagency"
SIGNPOSTING = "referrals.signposting"
CRISIS_CONTACT = "crisis.crisiscontact"  # may have no person yet: then only its own agency can read it
ACTION = "actions.action"
AGENDA_ITEM = "forums.agendaitem"
RESEARCH = "forums.research"
CASE_DISCUSSION = "forums.casediscussion"
PLAN = "plans.plan"
RISK_ASSESSMENT = "risk.assessment"
RISK_FLAG = "risk.flag"
RECORD_MODELS = (
    LEAD_AGENCY,
    ALIAS,
    IDENTIFIER,
    CONTACT,
    ADDRESS,
    INVOLVEMENT,
    CASE_NOTE,
    CONSENT,
    FORUM_CASE,
    REFERRAL_RECORD,
    SIGNPOSTING,
    CRISIS_CONTACT,
    ACTION,
    AGENDA_ITEM,
    RESEARCH,
    CASE_DISCUSSION,
    PLAN,
    RISK_ASSESSMENT,
    RISK_FLAG,
)
# The sections of the person page and of the API's person, by record kind.
SECTIONS = {
    ALIAS: "aliases",
    IDENTIFIER: "identifiers",
    CONTACT: "contact_details",
    ADDRESS: "addresses",
    INVOLVEMENT: "involvements",
    LEAD_AGENCY: "lead_agencies",
    CASE_NOTE: "case_notes",
    CONSENT: "consents",
    FORUM_CASE: "forum_cases",
    REFERRAL_RECORD: "referrals",
    SIGNPOSTING: "signpostings",
    CRISIS_CONTACT: "crisis_contacts",
    ACTION: "actions",
    AGENDA_ITEM: "agenda_items",
    RESEARCH: "forum_research",
    CASE_DISCUSSION: "case_discussions",
    PLAN: "plans",
    RISK_ASSESSMENT: "risk_assessments",
    RISK_FLAG: "risk_flags",
}

# Grounds.
OWN_AGENCY = "own_agency"
INVOLVEMENT_GROUND = "involvement"
CONSENT_GROUND = "consent"
AGREEMENT = "agreement"
REFERRAL = "referral"
EMERGENCY = "emergency"
RECORD_SHARE = "record_share"


# ---------------------------------------------------------------------------------------------
# The facts.


@dataclass(frozen=True)
class Agency:
    key: str
    kind: str


@dataclass(frozen=True)
class RoleGrant:
    code: str
    starts_at: datetime
    ends_at: datetime | None = None


@dataclass(frozen=True)
class User:
    key: str
    agency: str | None
    roles: tuple[RoleGrant, ...] = ()


@dataclass(frozen=True)
class Record:
    """One person-level record. `key` is unique in the world and is also the record's distinctive text.
    A record with no person (a crisis contact not yet linked to anyone) can be read on own_agency alone."""

    key: str
    model: str
    person: str | None
    recorded_by: str
    category: str
    sealed: bool = False


@dataclass(frozen=True)
class Involvement:
    record: str
    agency: str
    starts_on: date
    ends_on: date | None = None
    key_worker: str | None = None  # a user key


@dataclass(frozen=True)
class Provision:
    kind: str  # permit | deny
    agencies: frozenset[str] = frozenset()
    forums: frozenset[str] = frozenset()
    any_recipient: bool = False
    sources: frozenset[str] = frozenset()
    any_source: bool = True
    scopes: frozenset[tuple[str, str]] = frozenset()  # (category, purpose)


@dataclass(frozen=True)
class Consent:
    record: str
    status: str  # given | refused | withdrawn
    starts_at: datetime
    ends_at: datetime | None = None
    withdrawn_at: datetime | None = None
    provisions: tuple[Provision, ...] = ()


@dataclass(frozen=True)
class Agreement:
    key: str
    parties: frozenset[str]
    signed: bool
    starts_on: date
    ends_on: date | None = None
    lawful_basis: str = "e_public_task"
    special_category_condition: str = "h_health_social_care"
    scopes: frozenset[tuple[str, str]] = frozenset()


@dataclass(frozen=True)
class Membership:
    agency: str
    starts_at: datetime
    ends_at: datetime | None = None


@dataclass(frozen=True)
class Forum:
    key: str
    host: str
    agreement: str | None = None
    memberships: tuple[Membership, ...] = ()


@dataclass(frozen=True)
class ForumCase:
    record: str
    forum: str
    opened_at: datetime
    closed_at: datetime | None = None


@dataclass(frozen=True)
class Referral:
    key: str
    person: str
    from_agency: str
    to_agency: str
    state: str  # open | accepted | ended
    attachments: frozenset[str] = frozenset()  # record keys


@dataclass(frozen=True)
class Grant:
    key: str
    user: str
    person: str
    granted_at: datetime
    expires_at: datetime
    ended_at: datetime | None = None


@dataclass(frozen=True)
class Share:
    record: str
    agency: str
    revoked: bool = False


@dataclass(frozen=True)
class World:
    now: datetime
    agencies: tuple[Agency, ...]
    users: tuple[User, ...]
    records: tuple[Record, ...]  # person rows (model PERSON, person == key) and every other record
    involvements: tuple[Involvement, ...] = ()
    consents: tuple[Consent, ...] = ()
    agreements: tuple[Agreement, ...] = ()
    forums: tuple[Forum, ...] = ()
    forum_cases: tuple[ForumCase, ...] = ()
    referrals: tuple[Referral, ...] = ()
    grants: tuple[Grant, ...] = ()
    shares: tuple[Share, ...] = ()
    # Not a fact: the (user, purpose) pairs the generator planted a ground for, so tests can look there
    # first. The oracle never reads it.
    focus: tuple[tuple[str, str], ...] = field(default=(), compare=False)

    @property
    def today(self) -> date:
        """What "today" means to a practitioner: the date in England."""
        return self.now.astimezone(LONDON).date()

    @cached_property
    def people(self) -> tuple[str, ...]:
        return tuple(r.key for r in self.records if r.model == PERSON)

    @cached_property
    def record(self) -> dict[str, Record]:
        return {r.key: r for r in self.records}

    @cached_property
    def agency(self) -> dict[str, Agency]:
        return {a.key: a for a in self.agencies}

    @cached_property
    def user(self) -> dict[str, User]:
        return {u.key: u for u in self.users}

    @cached_property
    def forum(self) -> dict[str, Forum]:
        return {f.key: f for f in self.forums}

    @cached_property
    def consent(self) -> dict[str, Consent]:
        return {c.record: c for c in self.consents}

    def records_of(self, person: str) -> tuple[Record, ...]:
        return tuple(r for r in self.records if r.person == person)


# ---------------------------------------------------------------------------------------------
# Facts in force.


def _within(start: datetime, end: datetime | None, now: datetime) -> bool:
    return start <= now and (end is None or now < end)


def _within_days(start: date, end: date | None, today: date) -> bool:
    return start <= today and (end is None or today <= end)


def roles_in_force(world: World, user: User) -> frozenset[str]:
    return frozenset(g.code for g in user.roles if _within(g.starts_at, g.ends_at, world.now))


def ceiling(world: World, user: User) -> frozenset[str]:
    return frozenset(c for code in roles_in_force(world, user) for c in CEILINGS[code])


def forums_of(world: World, agency: str) -> frozenset[str]:
    return frozenset(
        f.key
        for f in world.forums
        for m in f.memberships
        if m.agency == agency and _within(m.starts_at, m.ends_at, world.now)
    )


def active_involvements(world: World, agency: str, person: str) -> tuple[Involvement, ...]:
    return tuple(
        i
        for i in world.involvements
        if i.agency == agency
        and world.record[i.record].person == person
        and _within_days(i.starts_on, i.ends_on, world.today)
    )


def involved(world: World, agency: str, person: str) -> bool:
    return bool(active_involvements(world, agency, person))


def consent_in_force(world: World, consent: Consent) -> bool:
    return (
        consent.status == "given"
        and _within(consent.starts_at, consent.ends_at, world.now)
        and (consent.withdrawn_at is None or world.now < consent.withdrawn_at)
    )


def agreement_in_force(world: World, agreement: Agreement) -> bool:
    return (
        agreement.signed
        and _within_days(agreement.starts_on, agreement.ends_on, world.today)
        and agreement.lawful_basis != CONSENT_LAWFUL_BASIS
        and agreement.special_category_condition != EXPLICIT_CONSENT_CONDITION
    )


def live_referrals(world: World, person: str) -> tuple[Referral, ...]:
    return tuple(r for r in world.referrals if r.person == person and r.state in LIVE_REFERRAL_STATES)


def grant_in_force(world: World, user: str, person: str) -> bool:
    return any(
        g.user == user
        and g.person == person
        and _within(g.granted_at, g.expires_at, world.now)
        and (g.ended_at is None or world.now < g.ended_at)
        for g in world.grants
    )


def current_case(world: World, person: str, forum: str) -> bool:
    return any(
        c.forum == forum and world.record[c.record].person == person and _within(c.opened_at, c.closed_at, world.now)
        for c in world.forum_cases
    )


# ---------------------------------------------------------------------------------------------
# The grounds.


def _provision_matches(p: Provision, agency: str, forums: frozenset[str], record: Record, purpose: str) -> bool:
    recipient = agency in p.agencies or bool(p.forums & forums) or (p.kind == "deny" and p.any_recipient)
    source = p.any_source or record.recorded_by in p.sources
    return recipient and source and (record.category, purpose) in p.scopes


def consent_provisions(world: World, agency: str, record: Record, purpose: str) -> frozenset[str]:
    """The kinds ("permit", "deny") of the provisions in force that speak to this agency reading this record."""
    forums = forums_of(world, agency)
    return frozenset(
        p.kind
        for c in world.consents
        if world.record[c.record].person == record.person and consent_in_force(world, c)
        for p in c.provisions
        if _provision_matches(p, agency, forums, record, purpose)
    )


def _consent_holds(world: World, agency: str, record: Record, purpose: str) -> bool:
    # A deny overrides any permit.
    return consent_provisions(world, agency, record, purpose) == {"permit"}


def _agreement_context(world: World, agreement: Agreement, agency: str, record: Record, purpose: str) -> bool:
    if purpose == "forum":
        mine = forums_of(world, agency)
        return any(
            f.agreement == agreement.key and f.key in mine and current_case(world, record.person, f.key)
            for f in world.forums
        )
    if purpose == "direct_care":
        between = {agency, record.recorded_by}
        return any({r.from_agency, r.to_agency} == between for r in live_referrals(world, record.person))
    return False


def _agreement_holds(world: World, agency: str, record: Record, purpose: str) -> bool:
    return any(
        agreement_in_force(world, g)
        and {agency, record.recorded_by} <= g.parties
        and (record.category, purpose) in g.scopes
        and _agreement_context(world, g, agency, record, purpose)
        for g in world.agreements
    )


def _referral_holds(world: World, agency: str, record: Record) -> bool:
    return any(
        r.from_agency == record.recorded_by and r.to_agency == agency and record.key in r.attachments
        for r in live_referrals(world, record.person)
    )


def _shared(world: World, agency: str, record: Record) -> bool:
    return any(s.record == record.key and s.agency == agency and not s.revoked for s in world.shares)


def grounds(world: World, user: User, record: Record, purpose: str) -> frozenset[str]:
    """Every ground on which `user` may read `record` for `purpose`; empty when they may not."""
    agency = user.agency
    if purpose == "analytics" or agency is None or record.category not in ceiling(world, user):
        return frozenset()
    held: set[str] = set()
    if record.recorded_by == agency:
        held.add(OWN_AGENCY)
    if record.sealed:
        if _shared(world, agency, record):
            held.add(RECORD_SHARE)
        return frozenset(held)
    if record.person is None:  # about no one yet: no ground that rests on a person can hold
        return frozenset(held)
    if record.category in {"identity", "coordination"} and involved(world, agency, record.person):
        held.add(INVOLVEMENT_GROUND)
    if _consent_holds(world, agency, record, purpose):
        held.add(CONSENT_GROUND)
    if _agreement_holds(world, agency, record, purpose):
        held.add(AGREEMENT)
    if _referral_holds(world, agency, record):
        held.add(REFERRAL)
    if purpose == "emergency" and grant_in_force(world, user.key, record.person):
        held.add(EMERGENCY)
    return frozenset(held)


# ---------------------------------------------------------------------------------------------
# What each read returns.


def readable(world: World, user: User, record: Record, purpose: str) -> bool:
    return bool(grounds(world, user, record, purpose))


def readable_records(world: World, user: User, purpose: str, models: Iterable[str] | None = None) -> frozenset[str]:
    """The keys of every record (of the given kinds) the user may read for the purpose."""
    wanted = frozenset(models) if models is not None else None
    return frozenset(
        r.key for r in world.records if (wanted is None or r.model in wanted) and readable(world, user, r, purpose)
    )


def readable_people(world: World, user: User, purpose: str) -> frozenset[str]:
    """People whose identity (the person row) the user may read: the only people search finds."""
    return frozenset(p for p in world.people if readable(world, user, world.record[p], purpose))


def visible_people(world: World, user: User, purpose: str) -> frozenset[str]:
    """People of whom the user may read at least one record: nobody else exists for them."""
    return frozenset(r.person for r in world.records if r.person is not None and readable(world, user, r, purpose))


def page_purpose(world: World, user: User, person: str) -> str:
    """The person page and API: direct care, or emergency while the user holds a grant on the person."""
    return "emergency" if grant_in_force(world, user.key, person) else "direct_care"


def person_view(world: World, user: User, person: str) -> dict[str, frozenset[str]]:
    """What the person page shows the user: each readable record of the person, with its grounds."""
    purpose = page_purpose(world, user, person)
    shown = {r.key: grounds(world, user, r, purpose) for r in world.records_of(person)}
    return {key: held for key, held in shown.items() if held}


def caseload(world: World, user: User) -> frozenset[str]:
    """People the user is key worker for through an active involvement of their agency (and may identify)."""
    if user.agency is None:
        return frozenset()
    return frozenset(
        p
        for p in readable_people(world, user, "direct_care")
        if any(i.key_worker == user.key for i in active_involvements(world, user.agency, p))
    )
