"""THE access policy (DESIGN §3): the one place that decides who may read which person-level record.

A user U (agency A, roles R) may read record X of person P for purpose Q only if R's category
ceiling allows X.category and at least one ground holds:

1. own_agency   — X was recorded by A;
2. involvement  — A has an active involvement with P, and X is an identity or coordination record;
3. consent      — a consent of P in force permits A (or a forum A is a member of) to read X's
                  category for Q from X's source, and no deny provision in force says otherwise;
4. agreement    — an agreement in force between X.recorded_by and A covers X.category and Q, on a
                  lawful basis other than consent, and P is a current case of a forum operating
                  under it that A belongs to (Q = forum), or there is an open or accepted referral
                  of P between the two agencies (Q = direct_care);
5. referral     — an open or accepted referral of P from X.recorded_by to A has X attached;
6. emergency    — U holds an emergency access grant on P in force, and Q = emergency.

A sealed record is readable only by its own agency, or by an agency it was explicitly shared with
(the `record_share` ground). Nothing is ever returned for the analytics purpose.

Each rule exists twice: `_decide` in Python (one person's records, with reasons for the page) and
`_readable` in SQL (lists, search, counts). Tests hold both to one independent oracle. Selectors
use `visible_people`, `readable_people`, `readable_records`, `access_person` and `access_people`;
nothing else decides access.
"""

import json
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any, cast

from django.db import transaction
from django.db.models import BooleanField, CharField, Exists, ExpressionWrapper, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Cast

from joinedup.accounts.models import Role
from joinedup.audit.models import Outcome
from joinedup.audit.services import View, object_ref, record_view, record_views
from joinedup.core import clock
from joinedup.core.actor import Actor
from joinedup.core.errors import NotFound
from joinedup.core.formatting import format_date
from joinedup.core.vocabulary import Category, Purpose
from joinedup.people.models import Involvement, Person, PersonRecord, active_involvements
from joinedup.sharing import registry
from joinedup.sharing.models import (
    Agreement,
    AgreementScope,
    ConsentProvision,
    ConsentScope,
    EmergencyGrant,
    Forum,
    ForumCase,
    ForumMembership,
    ProvisionKind,
    ReferralAttachment,
    ReferralLink,
    ReferralState,
    SealedShare,
)
from joinedup.sharing.models.agreements import agreements_in_force
from joinedup.sharing.models.consent import consents_in_force
from joinedup.sharing.models.forums import forum_cases_open, memberships_in_force
from joinedup.sharing.services import emergency_use_record


class Ground(StrEnum):
    OWN_AGENCY = "own_agency"
    INVOLVEMENT = "involvement"
    CONSENT = "consent"
    AGREEMENT = "agreement"
    REFERRAL = "referral"
    EMERGENCY = "emergency"
    RECORD_SHARE = "record_share"


# What the involvement ground opens: who the person is and who else is working with them.
INVOLVEMENT_CATEGORIES = frozenset({Category.IDENTITY, Category.COORDINATION})
LIVE_REFERRAL = ReferralState.live()


@dataclass(frozen=True)
class Decision:
    allowed: bool
    grounds: frozenset[Ground] = frozenset()
    reasons: tuple[str, ...] = ()  # plain words for the page: "consent given 3 March 2026"


DENY = Decision(False)

type Record = Person | PersonRecord


def ceiling(actor: Actor) -> frozenset[Category]:
    """The categories any of the actor's roles in force may read (a role ceiling is data)."""
    if not actor.roles:
        return frozenset()
    rows = Role.objects.filter(code__in=actor.roles).values_list("categories", flat=True)
    return frozenset(Category(c) for categories in rows for c in categories)


def _ref(record: Record) -> tuple[str, uuid.UUID]:
    return record._meta.label_lower, record.pk


# ---------------------------------------------------------------------------------------------
# Python: the facts about one (actor, person) pair, and the decision for each record.


@dataclass(frozen=True)
class _Provision:
    kind: str
    agencies: frozenset[uuid.UUID]
    forums: frozenset[uuid.UUID]
    any_recipient: bool
    sources: frozenset[uuid.UUID]
    any_source: bool
    scopes: frozenset[tuple[str, str]]
    given_on: str


@dataclass(frozen=True)
class _Agreement:
    id: uuid.UUID
    title: str
    parties: frozenset[uuid.UUID]
    scopes: frozenset[tuple[str, str]]


@dataclass(frozen=True)
class _Referral:
    from_agency: uuid.UUID
    to_agency: uuid.UUID
    attachments: frozenset[tuple[str, uuid.UUID]]


@dataclass(frozen=True)
class PersonContext:
    """Everything the policy needs to decide one actor's access to one person, fetched once."""

    actor: Actor
    person_id: uuid.UUID
    ceiling: frozenset[Category]
    involved: bool = False
    forums: frozenset[uuid.UUID] = frozenset()  # the actor's agency's forums now
    provisions: tuple[_Provision, ...] = ()
    # The agreements in force between the actor's agency and others — fetched only when P gives one a
    # context to apply in (a forum case or a referral below); without one no agreement can open anything.
    agreements: tuple[_Agreement, ...] = ()
    forum_case_agreements: frozenset[uuid.UUID] = frozenset()  # agreements of the actor's forums where P is a case
    referrals: tuple[_Referral, ...] = ()
    emergency: EmergencyGrant | None = None
    shared_with_me: frozenset[tuple[str, uuid.UUID]] = frozenset()

    @classmethod
    def load(
        cls,
        actor: Actor,
        person_id: uuid.UUID,
        *,
        allowed: frozenset[Category] | None = None,
        at: datetime | None = None,
    ) -> "PersonContext":
        agency_id = actor.agency_id
        now = at or clock.now()
        if agency_id is None:
            # The grant is read even when nothing else is, so a caller can take the page's purpose from it.
            allowed = ceiling(actor) if allowed is None else allowed
            return cls(actor=actor, person_id=person_id, ceiling=allowed, emergency=_grant_for(actor, person_id, now))
        facts = _facts(actor, agency_id, person_id, now)
        allowed = _ceiling_of(facts["ceiling"]) if allowed is None else allowed
        grants = [uuid.UUID(f[0]) for f in facts["grant"]]
        grant = EmergencyGrant.objects.filter(pk__in=grants).order_by("-expires_at").first() if grants else None
        if not allowed:
            return cls(actor=actor, person_id=person_id, ceiling=allowed, emergency=grant)
        forums = frozenset(uuid.UUID(f[0]) for f in facts["forum"])
        provisions = tuple(
            _Provision(
                kind=p.kind,
                agencies=frozenset(a.pk for a in p.recipient_agencies.all()),
                forums=frozenset(f.pk for f in p.recipient_forums.all()),
                any_recipient=p.any_recipient,
                sources=frozenset(a.pk for a in p.source_agencies.all()),
                any_source=p.any_source,
                scopes=frozenset((s.category, s.purpose) for s in p.scopes.all()),
                given_on=format_date(p.consent.starts_at),
            )
            for p in ConsentProvision.objects.filter(
                consents_in_force("consent__", at=now), consent__person_id=person_id
            )
            .select_related("consent")
            .prefetch_related("recipient_agencies", "recipient_forums", "source_agencies", "scopes")
        )
        case_agreements = frozenset(uuid.UUID(f[0]) for f in facts["case_agreement"])
        links = {uuid.UUID(link_id): (uuid.UUID(source), uuid.UUID(to)) for link_id, source, to in facts["link"]}
        attached: dict[uuid.UUID, set[tuple[str, uuid.UUID]]] = {link_id: set() for link_id in links}
        if links:
            for link_id, record_type, record_id in ReferralAttachment.objects.filter(link_id__in=links).values_list(
                "link_id", "record_type", "record_id"
            ):
                attached[link_id].add((record_type, record_id))
        referrals = tuple(
            _Referral(from_agency=source, to_agency=to, attachments=frozenset(attached[link_id]))
            for link_id, (source, to) in links.items()
        )
        agreements = _agreements_of(agency_id, now) if case_agreements or referrals else ()
        return cls(
            actor=actor,
            person_id=person_id,
            ceiling=allowed,
            involved=bool(facts["involved"]),
            forums=forums,
            provisions=provisions,
            agreements=agreements,
            forum_case_agreements=case_agreements,
            referrals=referrals,
            emergency=grant,
            shared_with_me=frozenset(
                (record_type, uuid.UUID(record_id)) for record_type, record_id, _ in facts["share"]
            ),
        )


def _union_of_facts(parts: Sequence[tuple[QuerySet[Any], str, tuple[str, ...]]]) -> dict[str, list[tuple[str, ...]]]:
    """Several small lookups in one round trip: a UNION ALL of (fact, three values as text) rows."""
    text = CharField()
    blank = Value("", output_field=text)
    queries = []
    for query, fact, values in parts:
        columns = [Cast(v, output_field=text) for v in values] + [blank] * (3 - len(values))
        queries.append(
            query.order_by()  # SQLite refuses an ORDER BY inside a compound statement
            .annotate(fact_kind=Value(fact, output_field=text), v1=columns[0], v2=columns[1], v3=columns[2])
            .values_list("fact_kind", "v1", "v2", "v3")
        )
    found: dict[str, list[tuple[str, ...]]] = {fact: [] for _, fact, _ in parts}
    for fact, *values in queries[0].union(*queries[1:], all=True).order_by():
        found[fact].append(tuple(values))
    return found


def _ceiling_part(actor: Actor) -> tuple[QuerySet[Any], str, tuple[str, ...]]:
    return (Role.objects.filter(code__in=actor.roles), "ceiling", ("categories",))


def _ceiling_of(rows: list[tuple[str, ...]]) -> frozenset[Category]:
    """`ceiling`, from the role rows a union of facts returned (each role's categories as JSON text)."""
    return frozenset(Category(c) for row in rows for c in json.loads(row[0]))


def _facts(actor: Actor, agency_id: uuid.UUID, person_id: uuid.UUID, now: datetime) -> dict[str, list[tuple[str, ...]]]:
    """The small facts about (actor, person) in one round trip. Rows are few: the actor's roles, a
    handful of forums, a person's referrals, shares and grants."""
    member = ForumMembership.objects.filter(memberships_in_force(at=now), agency_id=agency_id)
    return _union_of_facts(
        [
            _ceiling_part(actor),
            (member, "forum", ("forum_id",)),
            (
                ForumCase.objects.filter(
                    forum_cases_open(at=now),
                    Exists(member.filter(forum_id=OuterRef("forum_id"))),
                    person_id=person_id,
                    forum__agreement__isnull=False,
                ),
                "case_agreement",
                ("forum__agreement_id",),
            ),
            (
                ReferralLink.objects.filter(person_id=person_id, state__in=LIVE_REFERRAL).filter(
                    Q(from_agency_id=agency_id) | Q(to_agency_id=agency_id)
                ),
                "link",
                ("pk", "from_agency_id", "to_agency_id"),
            ),
            (
                SealedShare.objects.filter(person_id=person_id, agency_id=agency_id, revoked_at__isnull=True),
                "share",
                ("record_type", "record_id"),
            ),
            (
                Involvement.objects.filter(active_involvements(), person_id=person_id, agency_id=agency_id),
                "involved",
                ("pk",),
            ),
            (
                EmergencyGrant.objects.filter(_grants_in_force(now), user_id=actor.user_id, person_id=person_id),
                "grant",
                ("pk",),
            ),
        ]
    )


def _grants_in_force(now: datetime) -> Q:
    return Q(granted_at__lte=now, expires_at__gt=now) & (Q(ended_at__isnull=True) | Q(ended_at__gt=now))


def _grant_for(actor: Actor, person_id: uuid.UUID, now: datetime) -> EmergencyGrant | None:
    return (
        EmergencyGrant.objects.filter(_grants_in_force(now), user_id=actor.user_id, person_id=person_id)
        .order_by("-expires_at")
        .first()
    )


def _agreements_of(agency_id: uuid.UUID, now: datetime) -> tuple[_Agreement, ...]:
    """The agreements in force that the agency is a party to."""
    return tuple(
        _Agreement(
            id=g.pk,
            title=g.title,
            parties=frozenset(a.pk for a in g.parties.all()),
            scopes=frozenset((s.category, s.purpose) for s in g.scopes.all()),
        )
        for g in Agreement.objects.filter(agreements_in_force(on=clock.local(now).date()), parties=agency_id)
        .prefetch_related("parties", "scopes")
        .distinct()
    )


def _provision_applies(p: _Provision, context: PersonContext, record: Record, purpose: Purpose) -> bool:
    agency_id = context.actor.agency_id
    recipient = agency_id in p.agencies or bool(p.forums & context.forums) or (p.any_recipient and p.kind == "deny")
    source = p.any_source or record.recorded_by_id in p.sources
    return recipient and source and (str(record.category), str(purpose)) in p.scopes


def _consent_reason(context: PersonContext, record: Record, purpose: Purpose) -> str | None:
    applying = [p for p in context.provisions if _provision_applies(p, context, record, purpose)]
    if any(p.kind == ProvisionKind.DENY for p in applying):
        return None
    permit = next((p for p in applying if p.kind == ProvisionKind.PERMIT), None)
    return f"the person gave consent on {permit.given_on}" if permit else None


def _agreement_reason(context: PersonContext, record: Record, purpose: Purpose) -> str | None:
    source, agency_id = record.recorded_by_id, context.actor.agency_id
    if purpose == Purpose.FORUM:
        in_context = context.forum_case_agreements
    elif purpose == Purpose.DIRECT_CARE:
        between = any({r.from_agency, r.to_agency} == {source, agency_id} for r in context.referrals)
        in_context = frozenset(a.id for a in context.agreements) if between else frozenset()
    else:
        return None
    for agreement in context.agreements:
        if (
            agreement.id in in_context
            and source in agreement.parties
            and (str(record.category), str(purpose)) in agreement.scopes
        ):
            return f"the {agreement.title} data sharing agreement allows it"
    return None


def _decide(context: PersonContext, record: Record, purpose: Purpose) -> Decision:
    category = Category(record.category)
    if purpose == Purpose.ANALYTICS or category not in context.ceiling or context.actor.agency_id is None:
        return DENY
    reasons: dict[Ground, str] = {}
    if record.recorded_by_id == context.actor.agency_id:
        reasons[Ground.OWN_AGENCY] = "your agency recorded it"
    if record.sealed:
        if _ref(record) in context.shared_with_me:
            reasons[Ground.RECORD_SHARE] = "the agency that sealed it shared it with yours"
        return Decision(bool(reasons), frozenset(reasons), tuple(reasons.values()))
    if context.involved and category in INVOLVEMENT_CATEGORIES:
        reasons[Ground.INVOLVEMENT] = "your agency is working with this person"
    if consent := _consent_reason(context, record, purpose):
        reasons[Ground.CONSENT] = consent
    if agreement := _agreement_reason(context, record, purpose):
        reasons[Ground.AGREEMENT] = agreement
    if any(
        r.to_agency == context.actor.agency_id
        and r.from_agency == record.recorded_by_id
        and _ref(record) in r.attachments
        for r in context.referrals
    ):
        reasons[Ground.REFERRAL] = "it was attached to a referral to your agency"
    if purpose == Purpose.EMERGENCY and context.emergency is not None:
        reasons[Ground.EMERGENCY] = "you have emergency access"
    return Decision(bool(reasons), frozenset(reasons), tuple(reasons.values()))


def _person_id_of(record: Record) -> uuid.UUID:
    return record.pk if isinstance(record, Person) else record.person_id


def can_view(actor: Actor, record: Record, purpose: Purpose, *, context: PersonContext | None = None) -> Decision:
    """May `actor` read `record` for `purpose`, and on which grounds? Pure: no audit."""
    person_id = _person_id_of(record)
    if context is None or context.person_id != person_id or context.actor != actor:
        context = PersonContext.load(actor, person_id)
    return _decide(context, record, purpose)


# ---------------------------------------------------------------------------------------------
# SQL: the same rules as filters, for lists, search and counts.


@dataclass(frozen=True)
class _AgreementTerms:
    """One agreement in force that the actor's agency is party to, as the SQL filters need it."""

    parties: frozenset[uuid.UUID]
    categories: frozenset[str]  # what it covers for the purpose at hand
    forums: frozenset[uuid.UUID]  # the actor's agency's forums operating under it


@dataclass(frozen=True)
class _Scope:
    """The actor-wide facts every SQL filter needs, fetched once per query."""

    actor: Actor
    agency_id: uuid.UUID
    ceiling: frozenset[Category]
    purpose: Purpose
    now: datetime
    forums: frozenset[uuid.UUID]
    agreements: tuple[_AgreementTerms, ...] = ()


def _scope(actor: Actor, purpose: Purpose) -> _Scope | None:
    """The actor's ceiling, forums and agreements in force, in one round trip."""
    agency_id = actor.agency_id
    if purpose == Purpose.ANALYTICS or agency_id is None or not actor.roles:
        return None
    now = clock.now()
    member = ForumMembership.objects.filter(memberships_in_force(at=now), agency_id=agency_id)
    parts = [_ceiling_part(actor), (member, "forum", ("forum_id",))]
    if purpose in (Purpose.DIRECT_CARE, Purpose.FORUM):
        # The agreements in force with the agency as a party (a small table): the filters name their
        # parties and categories instead of joining the agreement tables for every row.
        ours = Agreement.objects.filter(agreements_in_force(on=clock.local(now).date()), parties=agency_id)
        parts += [
            (Agreement.parties.through.objects.filter(agreement__in=ours), "party", ("agreement_id", "agency_id")),
            (
                AgreementScope.objects.filter(agreement__in=ours, purpose=purpose),
                "covers",
                ("agreement_id", "category"),
            ),
            (
                Forum.objects.filter(Exists(member.filter(forum_id=OuterRef("pk"))), agreement__in=ours),
                "under",
                ("agreement_id", "pk"),
            ),
        ]
    facts = _union_of_facts(parts)
    allowed = _ceiling_of(facts["ceiling"])
    if not allowed:
        return None
    terms: dict[uuid.UUID, dict[str, set[str]]] = {}
    for part in ("party", "covers", "under"):
        for agreement_id, value, _ in facts.get(part, []):
            terms.setdefault(uuid.UUID(agreement_id), {"party": set(), "covers": set(), "under": set()})[part].add(
                value
            )
    agreements = tuple(
        _AgreementTerms(
            parties=frozenset(uuid.UUID(v) for v in found["party"]),
            categories=frozenset(found["covers"]),
            forums=frozenset(uuid.UUID(v) for v in found["under"]),
        )
        for _, found in sorted(terms.items())
        if found["covers"]
    )
    forums = frozenset(uuid.UUID(f[0]) for f in facts["forum"])
    return _Scope(actor, agency_id, allowed, purpose, now, forums, agreements)


def _consent_sql(s: _Scope, category: Any, person_ref: str) -> Q:
    """A permit in force for this recipient, category, purpose and source, and no deny.

    Each condition correlates with the row only by equalities (person, category, source), so the
    database may test it per row by index or, for a long list, hash it once; the provisions naming
    the actor's agency (or its forums) come from the recipient tables' indexes.
    """
    named = ConsentProvision.recipient_agencies.through.objects.filter(agency_id=s.agency_id).values(
        "consentprovision_id"
    )
    if s.forums:
        named = named.union(
            ConsentProvision.recipient_forums.through.objects.filter(forum_id__in=s.forums).values(
                "consentprovision_id"
            )
        )
    scopes = ConsentScope.objects.filter(
        consents_in_force("provision__consent__", at=s.now),
        provision__consent__person_id=OuterRef(person_ref),
        category=category,
        purpose=s.purpose,
    )

    def provided(kind: str, to: Q) -> Q:
        rules = scopes.filter(to, provision__kind=kind)
        return Q(Exists(rules.filter(provision__any_source=True))) | Q(
            Exists(rules.filter(provision__source_agencies=OuterRef("recorded_by_id")))
        )

    to_us = Q(provision_id__in=named)
    return provided(ProvisionKind.PERMIT, to_us) & ~provided(
        ProvisionKind.DENY, to_us | Q(provision__any_recipient=True)
    )


def _covered(terms: _AgreementTerms, model: type[Person] | type[PersonRecord]) -> Q:
    """The row was recorded by a party to the agreement, in a category it covers."""
    if model is Person:
        return Q(recorded_by_id__in=terms.parties) if Category.IDENTITY in terms.categories else Q(pk__in=[])
    return Q(recorded_by_id__in=terms.parties, category__in=terms.categories)


def _agreement_sql(s: _Scope, model: type[Person] | type[PersonRecord], person_ref: str) -> Q:
    if s.purpose == Purpose.FORUM:
        held = Q(pk__in=[])
        for terms in s.agreements:
            if terms.forums:
                cases = ForumCase.objects.filter(
                    forum_cases_open(at=s.now), person_id=OuterRef(person_ref), forum_id__in=terms.forums
                )
                held |= _covered(terms, model) & Q(Exists(cases))
        return held
    if s.purpose == Purpose.DIRECT_CARE and s.agreements:
        covered = Q(pk__in=[])
        for terms in s.agreements:
            covered |= _covered(terms, model)
        links = ReferralLink.objects.filter(person_id=OuterRef(person_ref), state__in=LIVE_REFERRAL)
        to_source = links.filter(from_agency_id=s.agency_id, to_agency_id=OuterRef("recorded_by_id"))
        from_source = links.filter(to_agency_id=s.agency_id, from_agency_id=OuterRef("recorded_by_id"))
        return covered & (Q(Exists(to_source)) | Q(Exists(from_source)))
    return Q(pk__in=[])


def _grounds_sql(s: _Scope, model: type[Person] | type[PersonRecord]) -> dict[Ground, Q]:
    """For each ground, the SQL condition that it holds for a row of `model` (ceiling and seal aside)."""
    label = model._meta.label_lower
    person_ref = "pk" if model is Person else "person_id"
    category: Any = Category.IDENTITY.value if model is Person else OuterRef("category")
    grounds = {
        Ground.OWN_AGENCY: Q(recorded_by_id=s.agency_id),
        Ground.CONSENT: _consent_sql(s, category, person_ref),
        Ground.AGREEMENT: _agreement_sql(s, model, person_ref),
        Ground.REFERRAL: Q(
            Exists(
                ReferralAttachment.objects.filter(
                    record_type=label,
                    record_id=OuterRef("pk"),
                    link__to_agency_id=s.agency_id,
                    link__from_agency_id=OuterRef("recorded_by_id"),
                    link__state__in=LIVE_REFERRAL,
                )
            )
        ),
        Ground.RECORD_SHARE: Q(
            Exists(
                SealedShare.objects.filter(
                    record_type=label, record_id=OuterRef("pk"), agency_id=s.agency_id, revoked_at=None
                )
            )
        ),
    }
    opened = s.ceiling & INVOLVEMENT_CATEGORIES
    if opened and (model is not Person or Category.IDENTITY in opened):
        involved = Q(
            Exists(
                Involvement.objects.filter(active_involvements(), person=OuterRef(person_ref), agency_id=s.agency_id)
            )
        )
        grounds[Ground.INVOLVEMENT] = involved if model is Person else involved & Q(category__in=opened)
    if s.purpose == Purpose.EMERGENCY:
        grants = EmergencyGrant.objects.filter(
            _grants_in_force(s.now), user_id=s.actor.user_id, person_id=OuterRef(person_ref)
        )
        grounds[Ground.EMERGENCY] = Q(Exists(grants))
    return grounds


_SEALED_GROUNDS = {Ground.OWN_AGENCY, Ground.RECORD_SHARE}


def _readable(s: _Scope, model: type[Person] | type[PersonRecord]) -> Q:
    """SQL twin of `_decide` for every row of one table."""
    if model is Person and Category.IDENTITY not in s.ceiling:
        return Q(pk__in=[])
    in_ceiling = Q() if model is Person else Q(category__in=s.ceiling)
    grounds = _grounds_sql(s, model)
    either = Q(pk__in=[])
    for ground, condition in grounds.items():
        if ground == Ground.OWN_AGENCY:
            either |= condition
        elif ground == Ground.RECORD_SHARE:
            either |= Q(sealed=True) & condition
        else:
            either |= Q(sealed=False) & condition
    return in_ceiling & either


def readable_people(actor: Actor, purpose: Purpose) -> QuerySet[Person]:
    """People whose identity record the actor may read: the only people search can match."""
    s = _scope(actor, purpose)
    return Person.objects.filter(_readable(s, Person)) if s else Person.objects.none()


def readable_records[M: PersonRecord](actor: Actor, model: type[M], purpose: Purpose) -> QuerySet[M]:
    """The rows of one record table the actor may read."""
    s = _scope(actor, purpose)
    manager = model._default_manager
    return manager.filter(_readable(s, model)) if s else manager.none()


def visible_people(actor: Actor, purpose: Purpose) -> QuerySet[Person]:
    """Everyone for whom the actor may read at least one record: nobody else exists for them."""
    s = _scope(actor, purpose)
    if s is None:
        return Person.objects.none()
    reachable = _readable(s, Person)
    for model in registry.record_models():
        rows = model._default_manager.filter(_readable(s, model), person=OuterRef("pk"))
        reachable |= Q(Exists(rows))
    return Person.objects.filter(reachable)


# ---------------------------------------------------------------------------------------------
# Fetch, check and audit.


@dataclass
class Shown[R]:
    """A record the actor may read, and why."""

    record: R
    grounds: frozenset[Ground]
    reasons: tuple[str, ...] = ()


@dataclass
class PersonAccess:
    """One person's records as the actor may see them; already audited."""

    person: Person
    purpose: Purpose
    identity: Shown[Person] | None
    sections: dict[str, list[Shown[Any]]] = field(default_factory=dict)
    emergency: EmergencyGrant | None = None

    def section(self, name: str) -> list[Shown[Any]]:
        return self.sections.get(name, [])

    @property
    def name(self) -> str:
        """What a page calls the person: their name if the actor may read their identity."""
        return self.identity.record.full_name if self.identity else "this person"

    def shown(self) -> list[Shown[Any]]:
        identity = [self.identity] if self.identity else []
        return [*identity, *(s for rows in self.sections.values() for s in rows)]


def _filter[R: Record](context: PersonContext, records: Iterable[R], purpose: Purpose) -> list[Shown[R]]:
    shown = []
    for record in records:
        decision = _decide(context, record, purpose)
        if decision.allowed:
            shown.append(Shown(record, decision.grounds, decision.reasons))
    return shown


def _record_entry(shown: Shown[Any]) -> dict[str, Any]:
    """How an access event lists one record: what, whose, which kind, and on which grounds."""
    return {
        "ref": object_ref(shown.record),
        "agency": str(shown.record.recorded_by_id),
        "category": str(shown.record.category),
        "grounds": sorted(shown.grounds),
    }


def audit_shown(
    actor: Actor, *, person_id: uuid.UUID, purpose: Purpose, shown: Sequence[Shown[Any]], route: str, reason: str = ""
) -> None:
    """Write the one access event for what is about to be served."""
    record_view(
        actor,
        person_id=person_id,
        purpose=purpose,
        grounds={g for s in shown for g in s.grounds},
        categories={s.record.category for s in shown},
        objects=[_record_entry(s) for s in shown],
        route=route,
        reason=reason,
    )


def _deny(
    actor: Actor,
    person_id: uuid.UUID | None,
    purpose: Purpose,
    route: str,
    reason: str,
    message: str = "No such person",
) -> NotFound:
    """Record a refused direct request, and the NotFound to raise (forbidden looks like missing)."""
    record_view(actor, person_id=person_id, purpose=purpose, outcome=Outcome.DENIED, route=route, reason=reason)
    return NotFound(message)


def emergency_grant_for(actor: Actor, person_id: uuid.UUID) -> EmergencyGrant | None:
    """The actor's emergency grant on this person in force now, if any (it makes the purpose emergency)."""
    return _grant_for(actor, person_id, clock.now())


def purpose_on(actor: Actor, person_id: uuid.UUID, purpose: Purpose = Purpose.DIRECT_CARE) -> Purpose:
    """The purpose of a page about this person: emergency while the actor holds a grant on them
    (DESIGN §3: any page during a grant is an emergency page), otherwise the one given."""
    return Purpose.EMERGENCY if emergency_grant_for(actor, person_id) is not None else purpose


def _section_rows(section: registry.Section, person_id: uuid.UUID) -> QuerySet[PersonRecord]:
    rows = section.model._default_manager.filter(person_id=person_id)
    if section.related:
        rows = rows.select_related(*section.related)
    if section.prefetch:
        rows = rows.prefetch_related(*section.prefetch)
    return rows.order_by(*section.order_by) if section.order_by else rows


def access_person(
    actor: Actor,
    person_id: uuid.UUID,
    purpose: Purpose,
    reason: str | None = None,
    *,
    route: str = "",
    context: PersonContext | None = None,
) -> PersonAccess:
    """Fetch, check and audit one person's records; NotFound (and a denied event) if there are none to see.

    `context` may be one the caller loaded for this actor and person moments before (to read the
    emergency grant that sets the purpose); it is loaded here otherwise.
    """
    person = Person.objects.filter(pk=person_id).select_related("recorded_by").first()
    if person is None:
        raise _deny(actor, person_id, purpose, route, reason or "")
    if context is None or context.person_id != person_id or context.actor != actor:
        context = PersonContext.load(actor, person_id)
    with transaction.atomic():
        identity = _filter(context, [person], purpose)
        access = PersonAccess(
            person=person,
            purpose=purpose,
            identity=identity[0] if identity else None,
            sections={s.name: _filter(context, _section_rows(s, person_id), purpose) for s in registry.sections()},
            emergency=context.emergency if purpose == Purpose.EMERGENCY else None,
        )
        shown = access.shown()
        if shown:
            audit_shown(actor, person_id=person_id, purpose=purpose, shown=shown, route=route, reason=reason or "")
            _note_emergency_use(access.emergency, shown)
            return access
    raise _deny(actor, person_id, purpose, route, reason or "")


def _note_emergency_use(grant: EmergencyGrant | None, shown: Sequence[Shown[Any]]) -> None:
    """Each agency whose records were read only because of the grant gets a review in its IG lead's
    queue (the first read alerts them), whichever page or API call read them."""
    only_by_emergency = {s.record.recorded_by_id for s in shown if s.grounds == {Ground.EMERGENCY}}
    if grant is not None and only_by_emergency:
        emergency_use_record(grant=grant, agency_ids=only_by_emergency)


def with_grounds[M: Person | PersonRecord](actor: Actor, rows: QuerySet[M], purpose: Purpose) -> QuerySet[M]:
    """Annotate each row (people, or records of one table) with the grounds that open it, so a list
    page needs no query per row. Use on rows already filtered by `readable_people`/`readable_records`."""
    s = _scope(actor, purpose)
    if s is None:
        return rows.none()
    conditions = _grounds_sql(s, cast(type[Person] | type[PersonRecord], rows.model))
    return rows.annotate(
        **{f"_ground_{g.value}": ExpressionWrapper(c, output_field=BooleanField()) for g, c in conditions.items()}
    )


def read_page[M: Person | PersonRecord](
    actor: Actor, rows: QuerySet[M], purpose: Purpose, *, route: str = "", limit: int | None = None
) -> list[Shown[M]]:
    """The usual list read, in one call: rows already narrowed by `readable_people`/`readable_records`,
    annotated with their grounds, cut to `limit`, fetched and audited (`access_records`)."""
    annotated = with_grounds(actor, rows, purpose)
    page = list(annotated if limit is None else annotated[:limit])
    return access_records(actor, page, purpose, route=route)


def _annotated_grounds(record: Record) -> frozenset[Ground]:
    held = {g for g in Ground if getattr(record, f"_ground_{g.value}", False)}
    return frozenset(held & _SEALED_GROUNDS if record.sealed else held - {Ground.RECORD_SHARE})


def access_records[R: Person | PersonRecord](
    actor: Actor, rows: Sequence[R], purpose: Purpose, *, route: str = ""
) -> list[Shown[R]]:
    """A page of rows annotated by `with_grounds`, audited with one event per person shown."""
    shown = [Shown(r, grounds) for r in rows if (grounds := _annotated_grounds(r))]
    by_person: dict[uuid.UUID, list[Shown[R]]] = {}
    for row in shown:
        by_person.setdefault(_person_id_of(row.record), []).append(row)
    with transaction.atomic():
        record_views(
            actor,
            [
                View(
                    person_id=person_id,
                    purpose=purpose,
                    grounds={g for r in rows_of for g in r.grounds},
                    categories={str(r.record.category) for r in rows_of},
                    objects=[_record_entry(r) for r in rows_of],
                    route=route,
                )
                for person_id, rows_of in by_person.items()
            ],
        )
        if purpose == Purpose.EMERGENCY:
            for person_id, rows_of in by_person.items():
                _note_emergency_use(emergency_grant_for(actor, person_id), rows_of)
    return shown


def access_people(actor: Actor, people: Sequence[Person], purpose: Purpose, *, route: str = "") -> list[Shown[Person]]:
    """The identity rows of a page of people (from `readable_people`, annotated by `with_grounds`)."""
    return access_records(actor, people, purpose, route=route)


def _fetch_refs(refs: Sequence[str], person_id: uuid.UUID) -> list[Record]:
    """The rows named "app_label.model:uuid" that belong to one person (others are ignored)."""
    found: list[Record] = []
    for ref in refs:
        label, _, pk = ref.partition(":")
        try:
            key = uuid.UUID(pk)
        except ValueError:
            continue
        if label == Person._meta.label_lower:
            person = Person.objects.filter(pk=key).first() if key == person_id else None
            found.extend([person] if person else [])
            continue
        model = registry.model_for(label)
        row = model._default_manager.filter(pk=key, person_id=person_id).first() if model else None
        found.extend([row] if row else [])
    return found


def access_record[M: PersonRecord](
    actor: Actor,
    model: type[M],
    record_id: uuid.UUID,
    purpose: Purpose,
    *,
    route: str = "",
    related: Sequence[str] = (),
    with_refs: Sequence[str] = (),
    follow_grant: bool = False,
) -> tuple[Shown[M], list[Shown[Any]]]:
    """Fetch, check and audit one record (and those of `with_refs`, e.g. a referral's attachments, that
    the actor may also see), in one access event. NotFound and a denied event when the record is
    missing or forbidden. With `follow_grant`, a record page reads as `emergency` while the actor holds
    a grant on its person, as the person page does (DESIGN §3: any page during a grant), so what that
    page lists opens too."""
    record = model._default_manager.select_related(*related).filter(pk=record_id).first()
    asked_for = f"{model._meta.label_lower}:{record_id}"
    if record is None:
        raise _deny(actor, None, purpose, route, asked_for, "Not found")
    context = PersonContext.load(actor, record.person_id)
    if follow_grant and context.emergency is not None:
        purpose = Purpose.EMERGENCY
    decision = _decide(context, record, purpose)
    if not decision.allowed:
        raise _deny(actor, record.person_id, purpose, route, asked_for, "Not found")
    shown = Shown(record, decision.grounds, decision.reasons)
    extras = _filter(context, _fetch_refs(with_refs, record.person_id), purpose)
    with transaction.atomic():
        audit_shown(actor, person_id=record.person_id, purpose=purpose, shown=[shown, *extras], route=route)
        if purpose == Purpose.EMERGENCY:
            _note_emergency_use(context.emergency, [shown, *extras])
    return shown, extras
