"""Hypothesis strategies for partnerships as plain data (`oracle.World`), and `materialise` to put one
into the database.

A world is small (2-5 agencies, 2-5 users, 1-4 people) but dense with the facts the policy reads:
dated role grants (volunteers and analysts included), records of every kind with random categories,
sealing and recording agencies, involvements past, current and planned (some with key workers),
consents given, refused, withdrawn and expired with permit and deny provisions, agreements signed,
unsigned, expired and consent-based, forums with dated memberships and open or closed cases,
referrals in every state with attachments, emergency grants in force, expired or ended, and
explicit shares of sealed records (some revoked). Times sit on and either side of the moment of
the request, so every "in force" boundary is exercised; one of the two moments is a summer night
when England's date is a day ahead of UTC's. On top, each world has 1-4 planted grounds (see
`_planted`) so that consent, agreement, referral, emergency and share grounds are met often.

Each record's key is unique in the world and doubles as its distinctive text (a name, a value, a
note title) so the tests can look for it in the person page.
"""

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from functools import cached_property
from typing import Any

from hypothesis import assume
from hypothesis import strategies as st

from joinedup.accounts.models import Role
from joinedup.accounts.models import RoleGrant as RoleGrantRow
from joinedup.accounts.models import User as UserRow
from joinedup.actions.models import Action
from joinedup.agencies.models import Agency as AgencyRow
from joinedup.agencies.models import Team
from joinedup.crisis.models import CrisisContact
from joinedup.forums.models import AgendaItem, CaseDiscussion, Meeting, Research
from joinedup.people.models import Address, Alias, ContactDetail, LeadAgency, LocalIdentifier, Person
from joinedup.people.models import Involvement as InvolvementRow
from joinedup.plans.models import Plan
from joinedup.referrals.models import Pathway, Signposting, UrgencyLevel
from joinedup.referrals.models import Referral as ReferralRow
from joinedup.risk import catalogue
from joinedup.risk.models import Assessment, Flag
from joinedup.sharing.models import Agreement as AgreementRow
from joinedup.sharing.models import (
    AgreementScope,
    AgreementSignoff,
    CaseNote,
    ConsentProvision,
    ConsentScope,
    EmergencyGrant,
    ForumMembership,
    ReferralAttachment,
    ReferralLink,
    SealedShare,
)
from joinedup.sharing.models import Consent as ConsentRow
from joinedup.sharing.models import Forum as ForumRow
from joinedup.sharing.models import ForumCase as ForumCaseRow
from joinedup.sharing.tests import oracle
from joinedup.sharing.tests.oracle import (
    CEILINGS,
    INVOLVEMENT_CATEGORY,
    Agency,
    Agreement,
    Consent,
    Forum,
    ForumCase,
    Grant,
    Involvement,
    Membership,
    Provision,
    Record,
    Referral,
    RoleGrant,
    Share,
    User,
    World,
)

# Two moments: a winter noon, and a summer night when England's date is already tomorrow in UTC.
NOWS = (datetime(2026, 3, 10, 12, 0, tzinfo=UTC), datetime(2026, 7, 10, 23, 30, tzinfo=UTC))
MOMENTS = tuple(
    timedelta(**kw)
    for kw in (
        {"days": -30},
        {"days": -1},
        {"hours": -1},
        {"seconds": -1},
        {},
        {"seconds": 1},
        {"hours": 1},
        {"days": 1},
        {"days": 30},
    )
)
DAYS = (-30, -1, 0, 1, 30)
# Purposes for consent and agreement scopes, the two with a context rule (direct care, forum) twice as likely.
SCOPE_PURPOSES = ("direct_care", "direct_care", "forum", "forum", "emergency", "review", "governance")
ROLES = tuple(CEILINGS)
AGENCY_KINDS = tuple(INVOLVEMENT_CATEGORY)
LAWFUL_BASES = ("e_public_task", "f_legitimate_interests", "c_legal_obligation", "a_consent")
CONDITIONS = ("h_health_social_care", "none", "g_substantial_public_interest", "a_explicit_consent")


def _chance(draw: st.DrawFn, one_in: int) -> bool:
    return draw(st.integers(0, one_in - 1)) == 0


class _Draws:
    """The world being drawn: its moment, agencies and palette of categories, and fresh keys."""

    def __init__(self, draw: st.DrawFn, now: datetime, start: int = 0) -> None:
        self.draw = draw
        self.now = now
        self.today = now.astimezone(oracle.LONDON).date()
        self.counter = itertools.count(start)
        self.agencies: list[str] = []
        self.users: list[str] = []
        self.palette: tuple[str, ...] = ()

    def key(self, prefix: str = "mk") -> str:
        return f"{prefix}{next(self.counter):03d}q"

    def moment(self) -> datetime:
        return self.now + self.draw(st.sampled_from(MOMENTS))

    def period(self) -> tuple[datetime, datetime | None]:
        """A start, and an end strictly after it or none (open-ended)."""
        start = self.moment()
        later = [self.now + m for m in MOMENTS if self.now + m > start]
        end = self.draw(st.sampled_from(later)) if later and not _chance(self.draw, 3) else None
        return start, end

    def day_period(self) -> tuple[date, date | None]:
        start = self.today + timedelta(days=self.draw(st.sampled_from(DAYS)))
        later = [self.today + timedelta(days=d) for d in DAYS if self.today + timedelta(days=d) >= start]
        end = self.draw(st.sampled_from(later)) if not _chance(self.draw, 3) else None
        return start, end

    def agency(self) -> str:
        return self.draw(st.sampled_from(self.agencies))

    def agency_set(self, min_size: int = 0, max_size: int = 2) -> frozenset[str]:
        return self.draw(st.frozensets(st.sampled_from(self.agencies), min_size=min_size, max_size=max_size))

    def category(self) -> str:
        return self.draw(st.sampled_from(self.palette))

    def scopes(self, max_size: int = 4) -> frozenset[tuple[str, str]]:
        pair = st.tuples(st.sampled_from(self.palette), st.sampled_from(SCOPE_PURPOSES))
        return self.draw(st.frozensets(pair, min_size=1, max_size=max_size))

    def record(
        self, model: str, person: str | None, *, category: str | None = None, recorded_by: str | None = None
    ) -> Record:
        return Record(
            key=self.key(),
            model=model,
            person=person,
            recorded_by=recorded_by or self.agency(),
            category=category or self.category(),
            sealed=_chance(self.draw, 5),
        )


def _users(d: _Draws) -> tuple[User, ...]:
    users = []
    for _ in range(d.draw(st.integers(2, 5))):
        agency = None if _chance(d.draw, 8) else d.agency()
        roles = []
        for _ in range(d.draw(st.integers(1, 2))):
            # Most grants are in force now; some ended or not yet started.
            start, end = (d.now - timedelta(days=30), None) if _chance(d.draw, 2) else d.period()
            roles.append(RoleGrant(d.draw(st.sampled_from(ROLES)), start, end))
        users.append(User(d.key("us"), agency, tuple(roles)))
    return tuple(users)


def _agreements(d: _Draws) -> tuple[Agreement, ...]:
    agreements = []
    for _ in range(d.draw(st.integers(0, 2))):
        starts_on, ends_on = d.day_period()
        agreements.append(
            Agreement(
                key=d.key("dsa"),
                parties=d.agency_set(2, 3),
                signed=not _chance(d.draw, 5),
                starts_on=starts_on,
                ends_on=ends_on,
                lawful_basis=d.draw(st.sampled_from(LAWFUL_BASES)),
                special_category_condition=d.draw(st.sampled_from(CONDITIONS)),
                scopes=d.scopes(5),
            )
        )
    return tuple(agreements)


def _forums(d: _Draws, agreements: tuple[Agreement, ...]) -> tuple[Forum, ...]:
    forums = []
    for _ in range(d.draw(st.integers(0, 2))):
        memberships = []
        for _ in range(d.draw(st.integers(0, 3))):
            start, end = (d.now - timedelta(days=30), None) if _chance(d.draw, 2) else d.period()
            memberships.append(Membership(d.agency(), start, end))
        agreement = d.draw(st.sampled_from([None, *[a.key for a in agreements]]))
        forums.append(Forum(d.key("fo"), d.agency(), agreement, tuple(memberships)))
    return tuple(forums)


def _provision(d: _Draws, forums: tuple[Forum, ...]) -> Provision:
    kind = "deny" if _chance(d.draw, 3) else "permit"
    any_source = d.draw(st.booleans())
    forum_keys = [f.key for f in forums]
    return Provision(
        kind=kind,
        agencies=d.agency_set(0, 2),
        forums=d.draw(st.frozensets(st.sampled_from(forum_keys), max_size=1)) if forum_keys else frozenset(),
        # The services only allow "any recipient" on a deny; a permit carrying it must grant nothing.
        any_recipient=_chance(d.draw, 3 if kind == "deny" else 10),
        sources=frozenset() if any_source else d.agency_set(0, 2),
        any_source=any_source,
        scopes=d.scopes(),
    )


@dataclass
class _PersonFacts:
    records: list[Record] = field(default_factory=list)
    involvements: list[Involvement] = field(default_factory=list)
    consents: list[Consent] = field(default_factory=list)
    forum_cases: list[ForumCase] = field(default_factory=list)


def _person(d: _Draws, agency_kind: dict[str, str], forums: tuple[Forum, ...]) -> _PersonFacts:
    facts = _PersonFacts()
    person = d.key()
    facts.records.append(Record(person, oracle.PERSON, person, d.agency(), "identity", sealed=_chance(d.draw, 6)))
    for model, most in (
        (oracle.ALIAS, 2),
        (oracle.IDENTIFIER, 1),
        (oracle.CONTACT, 2),
        (oracle.ADDRESS, 2),
        (oracle.CASE_NOTE, 2),
        (oracle.LEAD_AGENCY, 1),
        (oracle.REFERRAL_RECORD, 1),
        (oracle.SIGNPOSTING, 1),
        (oracle.CRISIS_CONTACT, 1),
        (oracle.ACTION, 1),
        (oracle.AGENDA_ITEM, 1),
        (oracle.RESEARCH, 1),
        (oracle.CASE_DISCUSSION, 1),
        (oracle.PLAN, 1),
        (oracle.RISK_ASSESSMENT, 1),
        (oracle.RISK_FLAG, 1),
    ):
        facts.records.extend(d.record(model, person) for _ in range(d.draw(st.integers(0, most))))
    for _ in range(d.draw(st.integers(0, 3))):
        agency = d.agency()
        # An agency records its own involvement; now and then another agency records it for them.
        by = d.agency() if _chance(d.draw, 4) else agency
        category = INVOLVEMENT_CATEGORY[agency_kind[agency]]
        record = d.record(oracle.INVOLVEMENT, person, category=category, recorded_by=by)
        starts_on, ends_on = d.day_period()
        facts.records.append(record)
        key_worker = d.draw(st.sampled_from([None, *d.users]))
        facts.involvements.append(Involvement(record.key, agency, starts_on, ends_on, key_worker))
    for _ in range(d.draw(st.integers(0, 2))):
        record = d.record(oracle.CONSENT, person)
        starts_at, ends_at = d.period()
        withdrawn_at = d.moment() if _chance(d.draw, 4) else None
        status = d.draw(st.sampled_from(("given", "given", "given", "refused", "withdrawn")))
        provisions = tuple(_provision(d, forums) for _ in range(d.draw(st.integers(0, 3))))
        facts.records.append(record)
        facts.consents.append(Consent(record.key, status, starts_at, ends_at, withdrawn_at, provisions))
    for forum in d.draw(st.lists(st.sampled_from(forums), max_size=2)) if forums else []:
        record = d.record(oracle.FORUM_CASE, person, recorded_by=forum.host if d.draw(st.booleans()) else None)
        opened_at, closed_at = d.period()
        facts.records.append(record)
        facts.forum_cases.append(ForumCase(record.key, forum.key, opened_at, closed_at))
    return facts


def _referrals(d: _Draws, records: list[Record], people: list[str]) -> tuple[Referral, ...]:
    referrals = []
    for _ in range(d.draw(st.integers(0, 3))):
        person = d.draw(st.sampled_from(people))
        from_agency, to_agency = d.draw(st.permutations(d.agencies))[:2]
        theirs = [r.key for r in records if r.person == person]
        attachments = d.draw(st.frozensets(st.sampled_from(theirs), max_size=3))
        state = d.draw(st.sampled_from(("open", "accepted", "ended")))
        referrals.append(Referral(d.key("rf"), person, from_agency, to_agency, state, attachments))
    return tuple(referrals)


def _grants(d: _Draws, users: tuple[User, ...], people: list[str]) -> tuple[Grant, ...]:
    grants = []
    for _ in range(d.draw(st.integers(0, 2))):
        granted_at = d.now - d.draw(st.sampled_from((timedelta(hours=4), timedelta(hours=1), timedelta(0))))
        granted_at = granted_at if not _chance(d.draw, 5) else d.now + timedelta(hours=1)
        expires_at = d.draw(st.sampled_from([m for m in (d.now + t for t in MOMENTS) if m > granted_at]))
        ended_at = d.moment() if _chance(d.draw, 4) else None
        user = d.draw(st.sampled_from(users)).key
        grants.append(Grant(d.key("eg"), user, d.draw(st.sampled_from(people)), granted_at, expires_at, ended_at))
    return tuple(grants)


def _shares(d: _Draws, records: list[Record]) -> tuple[Share, ...]:
    sealed = [r.key for r in records if r.sealed and r.person is not None]
    candidates = sealed if sealed and not _chance(d.draw, 4) else [r.key for r in records if r.person is not None]
    return tuple(
        Share(d.draw(st.sampled_from(candidates)), d.agency(), revoked=_chance(d.draw, 4))
        for _ in range(d.draw(st.integers(0, 2)))
    )


@st.composite
def worlds(draw: st.DrawFn, max_people: int = 4) -> World:
    """A partnership with people, their records and every fact the access policy reads."""
    d = _Draws(draw, draw(st.sampled_from(NOWS)))
    agencies = tuple(Agency(d.key("ag"), draw(st.sampled_from(AGENCY_KINDS))) for _ in range(draw(st.integers(2, 5))))
    d.agencies = [a.key for a in agencies]
    # A few categories per world, so that records, consents and agreements meet often.
    others = draw(st.lists(st.sampled_from(oracle.CATEGORIES[1:-1]), min_size=1, max_size=3, unique=True))
    d.palette = ("identity", "coordination", *others)
    users = _users(d)
    d.users = [u.key for u in users]
    agreements = _agreements(d)
    forums = _forums(d, agreements)
    kinds = {a.key: a.kind for a in agencies}
    facts = [_person(d, kinds, forums) for _ in range(draw(st.integers(1, max_people)))]
    # Now and then a crisis contact about someone not yet known: a record of no person.
    unlinked = [d.record(oracle.CRISIS_CONTACT, None) for _ in range(draw(st.integers(0, 1)))]
    records = [r for f in facts for r in f.records] + unlinked
    people = [f.records[0].key for f in facts]
    world = World(
        now=d.now,
        agencies=agencies,
        users=users,
        records=tuple(records),
        involvements=tuple(i for f in facts for i in f.involvements),
        consents=tuple(c for f in facts for c in f.consents),
        agreements=agreements,
        forums=forums,
        forum_cases=tuple(c for f in facts for c in f.forum_cases),
        referrals=_referrals(d, records, people),
        grants=_grants(d, users, people),
        shares=_shares(d, records),
    )
    return _planted(d, world, draw(st.integers(1, 4)))


# ---------------------------------------------------------------------------------------------
# Into the database.


@dataclass
class Built:
    """A world in the database: the rows made for each key."""

    world: World
    author: UserRow | None = None  # who wrote the records, consents and agreements (no agency, no roles)
    agencies: dict[str, AgencyRow] = field(default_factory=dict)
    users: dict[str, UserRow] = field(default_factory=dict)
    rows: dict[str, Any] = field(default_factory=dict)  # record key -> Person or PersonRecord row
    consents: dict[str, ConsentRow] = field(default_factory=dict)
    agreements: dict[str, AgreementRow] = field(default_factory=dict)
    forums: dict[str, ForumRow] = field(default_factory=dict)
    pathway: Pathway | None = None  # the one pathway every referral record goes through

    @cached_property
    def meeting(self) -> Meeting:
        """A meeting of a forum with no members and no agreement, so it grounds nothing: a place
        for agenda items, research and discussions to hang from."""
        host = next(iter(self.agencies.values()))
        forum = ForumRow.objects.create(name="A forum of no one", kind="other", host=host)
        now = self.world.now
        return Meeting.objects.create(forum=forum, starts_at=now, ends_at=now + timedelta(hours=2))

    def ref(self, key: str) -> str:
        row = self.rows[key]
        return f"{row._meta.label_lower}:{row.pk}"

    def text(self, key: str) -> str:
        """The record's distinctive text on the person page: its key, or for a consent the link to it."""
        row = self.rows[key]
        return f"/consents/{row.pk}/" if row._meta.label_lower == oracle.CONSENT else key

    def key(self, row: Any) -> str:
        """The key of a record row (a Person or a PersonRecord) the code under test returned."""
        return self._keys[f"{row._meta.label_lower}:{row.pk}"]

    @cached_property
    def _keys(self) -> dict[str, str]:
        return {self.ref(key): key for key in self.rows}

    def person_pk(self, person: str) -> Any:
        return self.rows[person].pk


def _assessment(author: UserRow, key: str, today: Any) -> Assessment:
    tool = catalogue.tool_get("domestic_abuse")
    assert tool is not None
    return Assessment(
        tool=tool,
        answers={},
        score=0,
        scored_level="standard",
        calculated_level="standard",
        final_level="standard",
        judgement_reasons=key,
        assessed_on=today,
        assessor=author,
    )


def _record_row(built: Built, author: UserRow, record: Record, **extra: Any) -> Any:
    models: dict[str, Callable[..., Any]] = {
        oracle.ALIAS: lambda: Alias(kind="alias", given_name=record.key),
        oracle.IDENTIFIER: lambda: LocalIdentifier(
            issuer=built.agencies[record.recorded_by], label="Ref", value=record.key
        ),
        oracle.CONTACT: lambda: ContactDetail(kind="mobile", value=record.key),
        oracle.ADDRESS: lambda: Address(kind="home", line1=record.key, town="Northby"),
        oracle.CASE_NOTE: lambda: CaseNote(
            author=author, title=record.key, body=f"Note {record.key}", occurred_on=built.world.today
        ),
        oracle.REFERRAL_RECORD: lambda: ReferralRow(
            pathway=built.pathway,
            urgency=built.pathway.urgencies.first(),
            from_agency=built.agencies[record.recorded_by],
            referred_by=author,
            to_agency=built.pathway.to_agency,
            reason=record.key,
            sharing_basis="consent",
        ),
        oracle.LEAD_AGENCY: lambda: LeadAgency(
            agency=built.agencies[record.recorded_by], starts_on=built.world.today, agreed_by="forum", note=record.key
        ),
        oracle.SIGNPOSTING: lambda: Signposting(service_name=record.key, reason=record.key, signposted_by=author),
        oracle.CRISIS_CONTACT: lambda: CrisisContact(
            channel="phone",
            received_at=built.world.now - timedelta(hours=2),
            caller_description="" if record.person else f"Caller {record.key}",
            presenting_need=record.key,
        ),
        oracle.ACTION: lambda: Action(
            description=record.key, owner_agency=built.agencies[record.recorded_by], due_on=built.world.today
        ),
        oracle.AGENDA_ITEM: lambda: AgendaItem(meeting=built.meeting, kind="new"),
        oracle.RESEARCH: lambda: Research(
            meeting=built.meeting, knows=record.key, submitted_by=author, submitted_at=built.world.now
        ),
        oracle.CASE_DISCUSSION: lambda: CaseDiscussion(meeting=built.meeting, summary=record.key),
        oracle.PLAN: lambda: Plan(kind="care_support", title=record.key, created_by=author),
        oracle.RISK_ASSESSMENT: lambda: _assessment(author, record.key, built.world.today),
        oracle.RISK_FLAG: lambda: Flag(
            kind="risk_to_staff",
            reason=record.key,
            starts_on=built.world.today,
            ends_on=built.world.today + timedelta(days=30),
            author=author,
        ),
    }
    row = models[record.model]() if record.model in models else extra.pop("row")
    row.person = built.rows[record.person] if record.person else None
    row.recorded_by = built.agencies[record.recorded_by]
    row.category = record.category
    row.sealed = record.sealed
    row.save(force_insert=True)
    built.rows[record.key] = row
    return row


def _consent(built: Built, author: UserRow, record: Record, consent: Consent) -> None:
    row = ConsentRow(
        status=consent.status,
        method="verbal",
        recorded_by_user=author,
        starts_at=consent.starts_at,
        ends_at=consent.ends_at,
        withdrawn_at=consent.withdrawn_at,
        notes=f"Consent {record.key}",
    )
    _record_row(built, author, record, row=row)
    built.consents[consent.record] = row
    for p in consent.provisions:
        provision = ConsentProvision.objects.create(
            consent=row, kind=p.kind, any_recipient=p.any_recipient, any_source=p.any_source
        )
        provision.recipient_agencies.set([built.agencies[a] for a in p.agencies])
        provision.recipient_forums.set([built.forums[f] for f in p.forums])
        provision.source_agencies.set([built.agencies[a] for a in p.sources])
        ConsentScope.objects.bulk_create(ConsentScope(provision=provision, category=c, purpose=q) for c, q in p.scopes)


def materialise(world: World) -> Built:
    """Write the world into the database (call inside a transaction the test rolls back)."""
    built = Built(world)
    roles = {r.code: r for r in Role.objects.all()}
    for a in world.agencies:
        built.agencies[a.key] = AgencyRow.objects.create(name=f"Agency {a.key}", kind=a.kind, sector="statutory")
    built.author = author = UserRow.objects.create(username="oracle.author", email="oracle.author@example.org")
    built.pathway = Pathway.objects.create(
        name="Oracle pathway", to_agency=built.agencies[world.agencies[0].key], eligibility_guidance="Anyone"
    )
    UrgencyLevel.objects.create(pathway=built.pathway, name="Routine", target=5, unit="working_days")
    for u in world.users:
        user = UserRow.objects.create(
            username=u.key, email=f"{u.key}@example.org", agency=built.agencies.get(u.agency or "")
        )
        RoleGrantRow.objects.bulk_create(
            RoleGrantRow(user=user, role=roles[g.code], starts_at=g.starts_at, ends_at=g.ends_at) for g in u.roles
        )
        built.users[u.key] = user
    for g in world.agreements:
        agreement = AgreementRow.objects.create(
            title=f"Agreement {g.key}",
            owner=built.agencies[min(g.parties)],
            lawful_basis=g.lawful_basis,
            special_category_condition=g.special_category_condition,
            starts_on=g.starts_on,
            ends_on=g.ends_on,
            review_on=g.starts_on,
            created_by=author,
            signed_off_at=world.now - timedelta(days=1) if g.signed else None,
        )
        agreement.parties.set([built.agencies[a] for a in g.parties])
        AgreementScope.objects.bulk_create(
            AgreementScope(agreement=agreement, category=c, purpose=q) for c, q in g.scopes
        )
        signers = sorted(g.parties) if g.signed else sorted(g.parties)[:-1]  # unsigned: the last party has not
        AgreementSignoff.objects.bulk_create(
            AgreementSignoff(agreement=agreement, agency=built.agencies[a], signed_by=author, signed_at=world.now)
            for a in signers
        )
        built.agreements[g.key] = agreement
    for f in world.forums:
        built.forums[f.key] = forum = ForumRow.objects.create(
            name=f"Forum {f.key}",
            kind="other",
            host=built.agencies[f.host],
            agreement=built.agreements[f.agreement] if f.agreement else None,
        )
        ForumMembership.objects.bulk_create(
            ForumMembership(forum=forum, agency=built.agencies[m.agency], starts_at=m.starts_at, ends_at=m.ends_at)
            for m in f.memberships
        )
    involvements = {i.record: i for i in world.involvements}
    consents = {c.record: c for c in world.consents}
    cases = {c.record: c for c in world.forum_cases}
    for record in world.records:
        if record.model == oracle.PERSON:
            built.rows[record.key] = Person.objects.create(
                given_name=record.key,
                family_name="Oracle",
                recorded_by=built.agencies[record.recorded_by],
                sealed=record.sealed,
            )
        elif record.model == oracle.INVOLVEMENT:
            i = involvements[record.key]
            agency = built.agencies[i.agency]
            row = InvolvementRow(
                agency=agency,
                team=Team.objects.create(agency=agency, name=record.key),
                starts_on=i.starts_on,
                ends_on=i.ends_on,
                key_worker=built.users[i.key_worker] if i.key_worker else None,
            )
            _record_row(built, author, record, row=row)
        elif record.model == oracle.CONSENT:
            _consent(built, author, record, consents[record.key])
        elif record.model == oracle.FORUM_CASE:
            c = cases[record.key]
            row = ForumCaseRow(
                forum=built.forums[c.forum], opened_at=c.opened_at, closed_at=c.closed_at, outcome=record.key
            )
            _record_row(built, author, record, row=row)
        else:
            _record_row(built, author, record)
    for r in world.referrals:
        link = ReferralLink.objects.create(
            person=built.rows[r.person],
            from_agency=built.agencies[r.from_agency],
            to_agency=built.agencies[r.to_agency],
            state=r.state,
        )
        ReferralAttachment.objects.bulk_create(
            ReferralAttachment(link=link, record_type=built.rows[k]._meta.label_lower, record_id=built.rows[k].pk)
            for k in r.attachments
        )
    for g in world.grants:
        user = built.users[g.user]
        EmergencyGrant.objects.create(
            user=user,
            agency=user.agency or built.agencies[world.agencies[0].key],
            person=built.rows[g.person],
            reason="risk_to_life",
            explanation="Property test",
            granted_at=g.granted_at,
            expires_at=g.expires_at,
            mfa_verified_at=g.granted_at,
            ended_at=g.ended_at,
        )
    for s in world.shares:
        row = built.rows[s.record]
        SealedShare.objects.create(
            record_type=row._meta.label_lower,
            record_id=row.pk,
            person=built.rows[world.record[s.record].person],
            agency=built.agencies[s.agency],
            shared_by=author,
            reason="Property test",
            revoked_at=world.now - timedelta(hours=1) if s.revoked else None,
        )
    return built


# ---------------------------------------------------------------------------------------------
# Planted grounds: a random world rarely lines a consent, an agreement and its context up with one
# user's agency and one record, so the generator also plants such grounds (and some that fall just
# short: a deny beside the permit, a forum the agency has left, an agreement whose context is for
# another person) and says for which user and purpose (`World.focus`).


def _pairs(world: World, *, sealed: bool = False) -> list[tuple[User, Record]]:
    """Users with an agency, and other agencies' records within their ceiling (sealed ones only if asked)."""
    return [
        (u, r)
        for u in world.users
        if u.agency is not None
        for r in world.records
        if r.person is not None
        and r.recorded_by != u.agency
        and r.category in oracle.ceiling(world, u)
        and (sealed or not r.sealed)
    ]


def _add(world: World, **facts: tuple[Any, ...]) -> World:
    """The world with more facts of each kind."""
    return replace(world, **{name: (*getattr(world, name), *more) for name, more in facts.items()})


type Planted = tuple[World, Any, str]  # the new world, the planted fact, the purpose it serves


def _plant_consent(d: _Draws, world: World, user: User, record: Record) -> Planted:
    assert user.agency is not None
    purpose = d.draw(st.sampled_from(oracle.SCOPE_PURPOSES))
    scope = frozenset({(record.category, purpose)})
    forums: tuple[Forum, ...] = ()
    if _chance(d.draw, 4):  # to a forum the agency is a member of (or, now and then, has left)
        left = d.now - timedelta(hours=1) if _chance(d.draw, 4) else None
        forum = Forum(d.key("fo"), d.agency(), None, (Membership(user.agency, d.now - timedelta(days=30), left),))
        forums = (forum,)
        permit = Provision("permit", forums=frozenset({forum.key}), scopes=scope)
    else:
        any_source = d.draw(st.booleans())
        sources = frozenset() if any_source else frozenset({record.recorded_by}) | d.agency_set(0, 1)
        permit = Provision(
            "permit", agencies=frozenset({user.agency}), any_source=any_source, sources=sources, scopes=scope
        )
    provisions = [permit]
    if _chance(d.draw, 4):  # a deny beside it, which overrides it
        everyone = d.draw(st.booleans())
        recipients = frozenset() if everyone else frozenset({user.agency})
        provisions.append(Provision("deny", agencies=recipients, any_recipient=everyone, scopes=scope))
    row = Record(d.key(), oracle.CONSENT, record.person, d.agency(), "coordination")
    consent = Consent(row.key, "given", d.now - timedelta(days=1), provisions=tuple(provisions))
    return _add(world, records=(row,), consents=(consent,), forums=forums), consent, purpose


def _plant_agreement(d: _Draws, world: World, user: User, record: Record, ends_on: date | None = None) -> Planted:
    assert user.agency is not None
    purpose = d.draw(st.sampled_from(("direct_care", "forum")))
    agreement = Agreement(
        key=d.key("dsa"),
        parties=frozenset({user.agency, record.recorded_by}) | d.agency_set(0, 1),
        signed=True,
        starts_on=world.today - timedelta(days=30),
        ends_on=ends_on,
        scopes=frozenset({(record.category, purpose)}),
    )
    # The context, now and then for someone else: then the agreement must not open the record.
    person = record.person if not _chance(d.draw, 5) else d.draw(st.sampled_from(world.people))
    if purpose == "direct_care":
        ends = (record.recorded_by, user.agency)
        from_agency, to_agency = ends if d.draw(st.booleans()) else ends[::-1]
        state = d.draw(st.sampled_from(("open", "accepted")))
        referral = Referral(d.key("rf"), person, from_agency, to_agency, state)
        return _add(world, agreements=(agreement,), referrals=(referral,)), agreement, purpose
    forum = Forum(d.key("fo"), d.agency(), agreement.key, (Membership(user.agency, d.now - timedelta(days=30)),))
    case = Record(d.key(), oracle.FORUM_CASE, person, forum.host, "coordination")
    opened = ForumCase(case.key, forum.key, d.now - timedelta(days=1))
    return (
        _add(world, agreements=(agreement,), forums=(forum,), records=(case,), forum_cases=(opened,)),
        agreement,
        purpose,
    )


def _plant_referral(d: _Draws, world: World, user: User, record: Record) -> Planted:
    assert user.agency is not None
    state = d.draw(st.sampled_from(("open", "accepted")))
    referral = Referral(
        d.key("rf"), record.person, record.recorded_by, user.agency, state, attachments=frozenset({record.key})
    )
    return _add(world, referrals=(referral,)), referral, d.draw(st.sampled_from(oracle.SCOPE_PURPOSES))


def _plant_emergency(d: _Draws, world: World, user: User, record: Record) -> Planted:
    grant = Grant(d.key("eg"), user.key, record.person, d.now - timedelta(hours=1), d.now + timedelta(hours=3))
    return _add(world, grants=(grant,)), grant, "emergency"


def _plant_share(d: _Draws, world: World, user: User, record: Record) -> Planted:
    assert user.agency is not None
    sealed = replace(record, sealed=True)
    world = replace(world, records=tuple(sealed if r.key == record.key else r for r in world.records))
    share = Share(record.key, user.agency)
    return _add(world, shares=(share,)), share, d.draw(st.sampled_from(oracle.SCOPE_PURPOSES))


PLANTS = (_plant_consent, _plant_agreement, _plant_referral, _plant_emergency, _plant_share)


def _planted(d: _Draws, world: World, times: int) -> World:
    focus = list(world.focus)
    for _ in range(times):
        plant = d.draw(st.sampled_from(PLANTS))
        pairs = _pairs(world, sealed=plant is _plant_share)
        if not pairs:
            break
        user, record = d.draw(st.sampled_from(pairs))
        world, _, purpose = plant(d, world, user, record)
        focus.append((user.key, purpose))
    return replace(world, focus=tuple(focus))


def _follow_up(draw: st.DrawFn, world: World) -> _Draws:
    """Draws that add to a finished world: keys from 900 on, which no drawn world reaches."""
    d = _Draws(draw, world.now, start=900)
    d.agencies = [a.key for a in world.agencies]
    d.palette = tuple(dict.fromkeys(r.category for r in world.records))
    return d


@st.composite
def worlds_with_consent_in_use(draw: st.DrawFn) -> tuple[World, Consent]:
    """A world, and a consent in force that (unless a deny overrides it) lets a user read another agency's record."""
    world = draw(worlds(max_people=2))
    pairs = _pairs(world)
    assume(pairs)
    user, record = draw(st.sampled_from(pairs))
    world, consent, purpose = _plant_consent(_follow_up(draw, world), world, user, record)
    return replace(world, focus=((user.key, purpose),)), consent


@st.composite
def worlds_with_agreement_in_use(draw: st.DrawFn) -> tuple[World, Agreement]:
    """A world, and an agreement in force until the end of today that lets a user read another agency's
    record: through an open or accepted referral (direct care) or a forum case (forum)."""
    world = draw(worlds(max_people=2))
    pairs = _pairs(world)
    assume(pairs)
    user, record = draw(st.sampled_from(pairs))
    world, agreement, purpose = _plant_agreement(_follow_up(draw, world), world, user, record, ends_on=world.today)
    return replace(world, focus=((user.key, purpose),)), agreement
