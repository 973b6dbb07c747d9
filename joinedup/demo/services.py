"""Generate the synthetic demo partnership: deterministic (seeded), fast enough for a million people.

A partnership is agencies and their staff, the people they support — identity, aliases, contact
details, addresses (some sealed), local identifiers, involvements, case notes — and the sharing
between them: consents (some in force, some withdrawn, expired or refused, a few with deny rules),
signed-off data sharing agreements, forums operating under them with their members and current
cases, and referrals with the records attached to them.

Rows are written as an import would write them: in batches, straight into the tables (COPY on
PostgreSQL), with one change event per batch. No real person's data is used: names come from
Faker, NHS numbers from the never-issued 999 range, phone numbers from Ofcom's drama range.
"""

import json
import math
import multiprocessing
import os
import random
import re
import uuid
from collections import deque
from collections.abc import Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import Enum
from itertools import accumulate
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import connection, connections, models, transaction
from django.db.models.fields import AutoFieldMixin
from faker import Faker

from joinedup.accounts.actors import actor_for
from joinedup.accounts.models import Role, RoleGrant, User
from joinedup.accounts.roles import ROLE_LABELS, RoleCode
from joinedup.agencies.directory.demo import seed_demo_directory
from joinedup.agencies.models import Agency, ContactPoint, ContactPointKind, Team
from joinedup.audit.services import record_change
from joinedup.core import clock
from joinedup.core.actor import SYSTEM
from joinedup.demo.forum_meetings import seed_forum_meetings
from joinedup.demo.partnership import (
    AGENCIES,
    AGREEMENTS,
    FORUMS,
    NOTE_TEMPLATES,
    ROLES_WITH_CASELOAD,
    AgencySpec,
)
from joinedup.forums.models import AgendaItem, AgendaKind, CaseDiscussion, Meeting, MeetingStatus, RiskLevel
from joinedup.people.models import (
    Address,
    AddressKind,
    Alias,
    AliasKind,
    ContactDetail,
    ContactKind,
    Gender,
    Involvement,
    InvolvementCategory,
    LeadAgency,
    LocalIdentifier,
    Person,
    active_involvements,
)
from joinedup.people.nhs_numbers import synthetic
from joinedup.people.services import involvement_start
from joinedup.referrals.demo import seed_forum_pathways, seed_pathways
from joinedup.referrals.models import Pathway, Referral
from joinedup.referrals.services import referral_accept, referral_draft, referral_send
from joinedup.risk import catalogue
from joinedup.risk.definitions import ItemKind
from joinedup.risk.models import FLAG_CATEGORIES, Flag, FlagKind
from joinedup.risk.services import assessment_complete, flag_add
from joinedup.sharing.models import (
    Agreement,
    AgreementScope,
    AgreementSignoff,
    CaseNote,
    Consent,
    ConsentProvision,
    ConsentScope,
    ConsentStatus,
    Forum,
    ForumCase,
    ForumMembership,
    ProvisionKind,
    ReferralAttachment,
    ReferralLink,
    ReferralState,
    SealedShare,
)
from joinedup.sharing.models.forums import forum_cases_open

# Bump when what `generate` makes of people, their records or the sharing between agencies changes:
# `make bench` keeps one database per size and seed and remakes it only when this differs.
DATA_VERSION = 5
DEMO_PASSWORD = "joinedup-demo-2026"  # noqa: S105 (synthetic demo accounts only)
DEMO_DOMAIN = "northshire.example"
BATCH = 5000  # people per transaction
PRACTITIONERS_PER_AGENCY = 3  # at least; more as the partnership grows
PEOPLE_PER_WEIGHT_PER_PRACTITIONER = 1000
NHS_STEMS, NHS_STEM_STEP = 1_000_000, 738_917  # keeps caseloads near 40 open involvements at any size

# What consent most often opens beyond the team around the person (identity, coordination).
CONSENT_CATEGORIES = (
    "identity",
    "contact",
    "mental_health",
    "substance_use",
    "physical_health",
    "housing",
    "social_care",
    "risk",
    "safeguarding",
    "coordination",
)
DENIED_CATEGORIES = ("mental_health", "substance_use", "physical_health", "safeguarding")
NOTE_EXTRA_CATEGORIES = ("risk", "coordination", "safeguarding", "housing", "physical_health", "contact")


@dataclass(frozen=True)
class Persona:
    username: str
    name: str
    agency: str
    role: str


def is_loaded() -> bool:
    return Agency.objects.filter(name=AGENCIES[0].name).exists()


def personas() -> list[Persona]:
    """The first user of each (agency, role): who the persona switcher and `make run` offer."""
    seen: set[tuple[str, str]] = set()
    found = []
    grants = RoleGrant.objects.select_related("user", "user__agency", "role").order_by(
        "user__agency__name", "role__label", "user__username"
    )
    for grant in grants.iterator(chunk_size=2000):
        user = grant.user
        key = (user.agency.name if user.agency else "", grant.role.code)
        if key in seen or not user.is_active:
            continue
        seen.add(key)
        found.append(Persona(user.username, user.get_full_name(), key[0], ROLE_LABELS[RoleCode(grant.role.code)]))
    return found


# ---------------------------------------------------------------------------------------------
# Writing rows fast: plain values, no model instances; COPY on PostgreSQL, executemany elsewhere.


def _plain(value: Any) -> Any:
    """Choices as their stored value (a database driver may write an enum's name instead)."""
    return value.value if isinstance(value, Enum) else value


_COPY_SPECIAL = re.compile(r"[\\\t\n\r]")
_COPY_ESCAPES = {"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"}


def _copy_str(value: str) -> str:
    if _COPY_SPECIAL.search(value) is None:
        return value
    return _COPY_SPECIAL.sub(lambda m: _COPY_ESCAPES[m.group()], value)


_COPY_TEXT: dict[type, Any] = {
    str: _copy_str,
    uuid.UUID: str,
    type(None): lambda v: "\\N",
    bool: lambda v: "t" if v else "f",
    int: str,
    datetime: datetime.isoformat,
    date: date.isoformat,
}


def _copy_text(value: Any) -> str:
    """One value in PostgreSQL's COPY text format."""
    encode = _COPY_TEXT.get(type(value))
    if encode is not None:
        return encode(value)  # type: ignore[no-any-return]
    if isinstance(value, Enum):
        return _copy_text(value.value)
    if isinstance(value, list | dict):
        return _copy_text(json.dumps(value))
    raise TypeError(f"cannot write {type(value).__name__} {value!r} with COPY")


class _Table:
    """How to insert rows of one model: its columns (the database-generated id aside) and defaults."""

    def __init__(self, model: type[models.Model], now: datetime) -> None:
        self.model = model
        self.fields = [f for f in model._meta.concrete_fields if not isinstance(f, AutoFieldMixin)]
        self.names = [f.attname for f in self.fields]
        self.defaults = {
            f.attname: now if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False) else f.get_default()
            for f in self.fields
        }
        quote = connection.ops.quote_name
        self.table = quote(model._meta.db_table)
        self.columns = ", ".join(quote(str(f.column)) for f in self.fields)

    def values(self, row: dict[str, Any]) -> list[Any]:
        unknown = row.keys() - self.defaults.keys()
        assert not unknown, f"{self.model.__name__} has no {sorted(unknown)}"
        return [row.get(name, self.defaults[name]) for name in self.names]

    def encode(self, rows: Sequence[dict[str, Any]]) -> "_Encoded":
        """The rows ready for the database: COPY text for PostgreSQL, parameters for the others."""
        if connection.vendor == "postgresql":
            text = "".join("\t".join(map(_copy_text, self.values(row))) + "\n" for row in rows)
            return _Encoded(f"COPY {self.table} ({self.columns}) FROM STDIN", text, [])
        prep = [f.get_db_prep_save for f in self.fields]
        params = [
            [to_db(_plain(value), connection) for to_db, value in zip(prep, self.values(row), strict=True)]
            for row in rows
        ]
        marks = ", ".join(["%s"] * len(self.fields))
        return _Encoded(f"INSERT INTO {self.table} ({self.columns}) VALUES ({marks})", "", params)  # noqa: S608


@dataclass(frozen=True)
class _Encoded:
    sql: str
    copy: str
    params: list[list[Any]]

    def insert(self) -> None:
        with connection.cursor() as cursor:
            if self.copy:
                with cursor.cursor.copy(self.sql) as copy:
                    copy.write(self.copy)
            elif self.params:
                cursor.executemany(self.sql, self.params)


class _Rows:
    """Rows waiting to be written, by model, in the order the models were first given (parents first)."""

    def __init__(self, now: datetime) -> None:
        self.now = now
        self.tables: dict[type[models.Model], _Table] = {}
        self.rows: dict[type[models.Model], list[dict[str, Any]]] = {}

    def add(self, model: type[models.Model], **values: Any) -> None:
        if model not in self.tables:
            self.tables[model] = _Table(model, self.now)
            self.rows[model] = []
        self.rows[model].append(values)

    def take(self) -> "_Batch":
        """Encode what is waiting, and start again empty."""
        batch = _Batch(
            encoded=[self.tables[model].encode(rows) for model, rows in self.rows.items() if rows],
            counts={model._meta.label_lower: len(rows) for model, rows in self.rows.items() if rows},
        )
        for rows in self.rows.values():
            rows.clear()
        return batch

    def write(self) -> dict[str, int]:
        return self.take().insert()


@dataclass(frozen=True)
class _Batch:
    encoded: list[_Encoded]
    counts: dict[str, int]

    def insert(self) -> dict[str, int]:
        for table in self.encoded:
            table.insert()
        return self.counts


# ---------------------------------------------------------------------------------------------
# The partnership.


@dataclass
class _Worker:
    id: str
    team_id: str
    name: str
    phone: str
    email: str


@dataclass
class _AgencyRef:
    spec: AgencySpec
    id: str
    involvement_category: str
    workers: list[_Worker] = field(default_factory=list)  # case-holding staff


@dataclass
class _Forum:
    id: str
    host: str
    share: float


class _Generator:
    def __init__(self, seed: int) -> None:
        self.seed = seed
        self.rng = random.Random(seed)
        self.ids = random.Random(f"{seed}/ids")  # ids apart from the data, so both are reproducible
        fake = Faker("en_GB")
        fake.seed_instance(seed)
        pool = range(600)
        self.given_female = [fake.first_name_female() for _ in pool]
        self.given_male = [fake.first_name_male() for _ in pool]
        self.given_any = self.given_female + self.given_male
        self.family = [fake.last_name() for _ in pool]
        self.streets = [fake.street_address().replace("\n", ", ") for _ in pool]
        self.towns = ["Northby", "Southwick", "Eastmoor", "Westhaven", "Portsea Bay", "Millbrook"]
        letters = "ABDEFGHJLNPQRSTUWXYZ"  # the letters a postcode's last part may use
        self.postcodes = [
            f"NS{self.rng.randint(1, 19)} {self.rng.randint(1, 9)}{self.rng.choice(letters)}{self.rng.choice(letters)}"
            for _ in pool
        ]
        self.now = clock.now()
        self.today = clock.today()

    def reseed(self, chunk: int) -> None:
        """Each chunk of people has its own random streams, so chunks can be made in any order."""
        self.rng = random.Random(f"{self.seed}/people/{chunk}")
        self.ids = random.Random(f"{self.seed}/ids/{chunk}")

    def uuid(self) -> str:
        """A random (version 4) UUID as 32 hex digits, from the seeded stream."""
        bits = self.ids.getrandbits(128) & ~(0xF000 << 64) & ~(0xC000 << 48)
        return "%032x" % (bits | (0x4000 << 64) | (0x8000 << 48))

    def phone(self) -> str:
        return f"07700 900{self.rng.randint(0, 999):03d}"  # Ofcom's range reserved for drama

    def birth_date(self) -> date:
        return self.today - timedelta(days=self.rng.randint(18 * 365, 85 * 365))

    def days_ago(self, low: int, high: int) -> datetime:
        return self.now - timedelta(days=self.rng.randint(low, high), minutes=self.rng.randint(0, 24 * 60))


def _agencies(gen: _Generator) -> dict[str, Agency]:
    made = {}
    for spec in AGENCIES:
        agency = Agency.objects.create(
            name=spec.name,
            short_name=spec.short_name,
            kind=spec.kind,
            sector=spec.sector,
            ods_code=spec.ods_code,
            description=spec.description,
        )
        teams = [
            Team.objects.create(
                agency=agency,
                name=name,
                phone=f"0300 555 {gen.rng.randint(1000, 9999)}",
                email=f"{spec.slug}.{name.lower().replace(' ', '-')}@{DEMO_DOMAIN}",
            )
            for name in spec.teams
        ]
        ContactPoint.objects.create(
            agency=agency,
            kind=ContactPointKind.TEAM_INBOX,
            name=f"{spec.short_name} single point of contact",
            team=teams[0],
            email=f"{spec.slug}.spoc@{DEMO_DOMAIN}",
            phone=f"0300 555 {gen.rng.randint(1000, 9999)}",
            hours="24 hours a day, every day" if spec.slug == "crisis" else "Monday to Friday, 9am to 5pm",
        )
        record_change(SYSTEM, action="demo_agency", obj=agency, before=None, after={"name": agency.name})
        made[spec.slug] = agency
    return made


def _staff_count(spec: AgencySpec, role: RoleCode, people: int) -> int:
    if role not in ROLES_WITH_CASELOAD:
        return 1
    caseholding_roles = sum(1 for r in spec.roles if r in ROLES_WITH_CASELOAD)
    wanted = math.ceil(people * spec.weight / PEOPLE_PER_WEIGHT_PER_PRACTITIONER / caseholding_roles)
    return max(PRACTITIONERS_PER_AGENCY, wanted)


def _users(gen: _Generator, agencies: dict[str, Agency], people: int) -> dict[str, _AgencyRef]:
    """Users for every role of every agency, more case holders as the partnership grows."""
    password = make_password(DEMO_PASSWORD)
    roles = {role.code: role.pk for role in Role.objects.all()}
    categories = dict(InvolvementCategory.objects.values_list("agency_kind", "category"))
    start = gen.now - timedelta(days=365)
    rows = _Rows(gen.now)
    refs: dict[str, _AgencyRef] = {}
    for spec in AGENCIES:
        agency = agencies[spec.slug]
        ref = refs[spec.slug] = _AgencyRef(spec, agency.pk.hex, categories.get(agency.kind, "coordination"))
        teams = [pk.hex for pk in agency.teams.values_list("pk", flat=True)]
        for role in spec.roles:
            for n in range(1, _staff_count(spec, role, people) + 1):
                gender = gen.rng.choice((gen.given_female, gen.given_male))
                first, last = gen.rng.choice(gender), gen.rng.choice(gen.family)
                username = f"{spec.slug}.{role.value.replace('_', '-')}" + (str(n) if n > 1 else "")
                user_id, team_id, phone = gen.uuid(), teams[(n - 1) % len(teams)], gen.phone()
                email = f"{username}@{DEMO_DOMAIN}"
                rows.add(
                    User,
                    id=user_id,
                    username=username,
                    email=email,
                    first_name=first,
                    last_name=last,
                    agency_id=ref.id,
                    team_id=team_id,
                    job_title=ROLE_LABELS[role],
                    phone=phone,
                    password=password,
                )
                rows.add(RoleGrant, id=gen.uuid(), user_id=user_id, role_id=roles[role.value], starts_at=start)
                if role in ROLES_WITH_CASELOAD:
                    ref.workers.append(_Worker(user_id, team_id, f"{first} {last}", phone, email))
    rows.write()
    return refs


def _sharing(gen: _Generator, refs: dict[str, _AgencyRef]) -> dict[str, _Forum]:
    """The partnership's agreements (signed off by each party's IG lead), forums and memberships."""
    ig_leads = {
        agency.hex: user.hex
        for agency, user in User.objects.filter(
            role_grants__role__code=RoleCode.IG_LEAD, username__endswith=".ig-lead"
        ).values_list("agency_id", "pk")
    }
    author = next(iter(ig_leads.values()))
    rows = _Rows(gen.now)
    agreements: dict[str, str] = {}
    for spec in AGREEMENTS:
        agreement_id = agreements[spec.slug] = gen.uuid()
        owner = refs[spec.owner].id
        signed_at = gen.days_ago(120, 400)
        rows.add(
            Agreement,
            id=agreement_id,
            title=spec.title,
            reference=spec.reference,
            description=spec.description,
            owner_id=owner,
            lawful_basis=spec.lawful_basis,
            special_category_condition=spec.special_category_condition,
            schedule_1_condition=spec.schedule_1_condition,
            law_enforcement=spec.law_enforcement,
            starts_on=clock.local(signed_at).date(),
            review_on=gen.today + timedelta(days=gen.rng.randint(60, 300)),
            created_by_id=ig_leads.get(owner, author),
            signed_off_at=signed_at if spec.signed_off else None,
        )
        for slug in spec.parties:
            rows.add(Agreement.parties.through, agreement_id=agreement_id, agency_id=refs[slug].id)
            if spec.signed_off:
                rows.add(
                    AgreementSignoff,
                    id=gen.uuid(),
                    agreement_id=agreement_id,
                    agency_id=refs[slug].id,
                    signed_by_id=ig_leads.get(refs[slug].id, author),
                    signed_at=signed_at,
                )
        for category in spec.categories:
            for purpose in spec.purposes:
                rows.add(AgreementScope, agreement_id=agreement_id, category=category, purpose=purpose)
    forums: dict[str, _Forum] = {}
    for forum_spec in FORUMS:
        forum_id = gen.uuid()
        host = refs[forum_spec.host].id
        forums[forum_spec.kind] = _Forum(forum_id, host, forum_spec.share_of_people)
        rows.add(
            Forum,
            id=forum_id,
            name=forum_spec.name,
            kind=forum_spec.kind,
            host_id=host,
            agreement_id=agreements[forum_spec.agreement] if forum_spec.agreement else None,
        )
        for slug in forum_spec.members:
            rows.add(
                ForumMembership,
                id=gen.uuid(),
                forum_id=forum_id,
                agency_id=refs[slug].id,
                starts_at=gen.days_ago(200, 500),
            )
        for slug in forum_spec.former_members:
            rows.add(
                ForumMembership,
                id=gen.uuid(),
                forum_id=forum_id,
                agency_id=refs[slug].id,
                starts_at=gen.days_ago(400, 500),
                ends_at=gen.days_ago(30, 90),
            )
    rows.write()
    return forums


_HOW_MANY_AGENCIES = ((1, 2, 3, 4), list(accumulate((35, 35, 20, 10))))
_NOTES_PER_INVOLVEMENT = ((0, 1, 2, 3), list(accumulate((40, 35, 20, 5))))
_REFERRAL_STATES = (ReferralState.values, list(accumulate((25, 45, 30))))


LEAD_AGREEMENTS = (
    ("forum", "Agreed at the co-occurring conditions forum; review at the next meeting."),
    ("practitioners", "Agreed between the key workers while treatment is under way."),
    ("person", "The person asked for this service to coordinate their care."),
    ("forum", "Agreed at the risk conference; the lead calls the next professionals' meeting."),
)


def _pick[T](rng: random.Random, weighted: tuple[Sequence[T], list[int]]) -> T:
    return rng.choices(weighted[0], cum_weights=weighted[1])[0]


class _People:
    """Each person and everything the partnership holds about them, written in batches."""

    def __init__(self, gen: _Generator, refs: dict[str, _AgencyRef], forums: dict[str, _Forum]) -> None:
        self.gen = gen
        self.refs = refs
        self.forums = list(forums.values())
        self.consent_forum = forums["distress_pathway"].id
        self.agencies = ([refs[s.slug] for s in AGENCIES], list(accumulate(s.weight for s in AGENCIES)))
        # Person i gets stem (A * i + C) mod 10^6 (A is coprime to 10^6, so no two people share one);
        # a stem with no valid check digit leaves the person without a number (about 1 in 11).
        self.stem_offset = gen.rng.randrange(NHS_STEMS)

    def chunk(self, number: int, people: int) -> tuple[_Batch, str]:
        """People number * BATCH onwards (`people` of them), encoded; and the first one's id."""
        self.gen.reseed(number)
        rows = _Rows(self.gen.now)
        start = number * BATCH
        for i in range(start, start + people):
            self.person(rows, i)
        first_id = rows.rows[Person][0]["id"]
        return rows.take(), first_id

    def nhs_number(self, i: int) -> str | None:
        if self.gen.rng.random() >= 0.93:
            return None
        return synthetic((NHS_STEM_STEP * i + self.stem_offset) % NHS_STEMS)

    def person(self, rows: _Rows, i: int) -> None:
        gen, rng = self.gen, self.gen.rng
        wanted = _pick(rng, _HOW_MANY_AGENCIES)
        chosen: dict[str, _AgencyRef] = {}
        while len(chosen) < wanted:
            ref = _pick(rng, self.agencies)
            chosen[ref.id] = ref
        involved = list(chosen.values())
        first = involved[0]
        female = rng.random() < 0.48
        person_id = gen.uuid()
        interpreter = rng.random() < 0.04
        rows.add(
            Person,
            id=person_id,
            given_name=rng.choice(gen.given_female if female else gen.given_male),
            family_name=rng.choice(gen.family),
            date_of_birth=gen.birth_date() if rng.random() < 0.95 else None,
            nhs_number=self.nhs_number(i),
            gender=Gender.FEMALE if female else Gender.MALE,
            interpreter_required=interpreter,
            interpreter_language=rng.choice(["Polish", "Romanian", "Arabic", "Urdu", "Portuguese"])
            if interpreter
            else "",
            recorded_by_id=first.id,
        )
        # What each agency holds about the person, by "app_label.model": a referral may attach it.
        held: dict[str, list[tuple[str, str]]] = {first.id: [("people.person", person_id)]}

        def record(model: type[models.Model], agency: str, **values: Any) -> str:
            record_id = gen.uuid()
            rows.add(model, id=record_id, person_id=person_id, recorded_by_id=agency, **values)
            if not values.get("sealed"):
                held.setdefault(agency, []).append((model._meta.label_lower, record_id))
            return record_id

        if rng.random() < 0.1:
            record(Alias, first.id, category="identity", kind=AliasKind.KNOWN_AS, given_name=rng.choice(gen.given_any))
        if rng.random() < 0.75:
            record(
                ContactDetail, first.id, category="contact", kind=ContactKind.MOBILE, value=gen.phone(), preferred=True
            )
        self.address(rows, record, person_id, first)
        current = [(ref, started) for ref in involved if (started := self.involvement(record, i, ref))]
        if len(current) >= 2 and rng.random() < 0.6:
            self.lead_agency(record, current)
        self.consent(rows, record, involved)
        self.forum_cases(record)
        self.referral(rows, person_id, involved, held)

    def address(self, rows: _Rows, record: Any, person_id: str, first: _AgencyRef) -> None:
        gen, rng = self.gen, self.gen.rng
        roll = rng.random()
        if roll < 0.05:
            record(Address, first.id, category="contact", kind=AddressKind.NO_FIXED_ABODE)
            return
        sealed = roll < 0.08
        refuge = self.refs["refuge"]
        address_id = record(
            Address,
            refuge.id if sealed else first.id,
            category="contact",
            kind=AddressKind.REFUGE if sealed else AddressKind.HOME,
            sealed=sealed,
            line1=rng.choice(gen.streets),
            town=rng.choice(gen.towns),
            postcode=rng.choice(gen.postcodes),
        )
        if sealed and rng.random() < 0.2:
            rows.add(
                SealedShare,
                id=gen.uuid(),
                record_type="people.address",
                record_id=address_id,
                person_id=person_id,
                agency_id=self.refs["housing"].id,
                shared_by_id=refuge.workers[0].id,
                reason="Housing are arranging a move and need to know where she is staying.",
            )

    def involvement(self, record: Any, i: int, ref: _AgencyRef) -> date | None:
        """The agency's involvement and what it records; returns its start if it is still going."""
        gen, rng = self.gen, self.gen.rng
        started = gen.today - timedelta(days=rng.randint(0, 3 * 365))
        ended = started + timedelta(days=rng.randint(30, 400)) if rng.random() < 0.2 else None
        if ended and ended >= gen.today:
            ended = None
        worker = rng.choice(ref.workers)
        record(
            Involvement,
            ref.id,
            agency_id=ref.id,
            category=ref.involvement_category,
            team_id=worker.team_id,
            starts_on=started,
            ends_on=ended,
            role="Key worker",
            key_worker_id=worker.id,
            key_worker_name=worker.name,
            key_worker_phone=worker.phone,
            key_worker_email=worker.email,
        )
        if ref.spec.slug == "police" and rng.random() < 0.5:
            record(
                LocalIdentifier,
                ref.id,
                category="identity",
                issuer_id=ref.id,
                label="Police reference",
                value=f"NP-{i:07d}",
            )
        for _ in range(_pick(rng, _NOTES_PER_INVOLVEMENT)):
            own = rng.random() < 0.55
            category = ref.involvement_category if own else rng.choice(NOTE_EXTRA_CATEGORIES)
            title, body = rng.choice(NOTE_TEMPLATES[category])
            occurred = max(started, gen.today - timedelta(days=rng.randint(0, 400)))
            record(
                CaseNote,
                ref.id,
                category=category,
                sealed=rng.random() < 0.01,
                author_id=worker.id,
                title=title,
                body=body,
                occurred_on=min(occurred, gen.today),
            )
        return started if ended is None else None

    def lead_agency(self, record: Any, current: list[tuple[_AgencyRef, date]]) -> None:
        """Where several agencies work with the person, one was agreed to lead (by the lead itself)."""
        rng = self.gen.rng
        lead, _ = rng.choice(current)
        since = max(start for _, start in current)
        agreed_by, note = rng.choice(LEAD_AGREEMENTS)
        record(
            LeadAgency,
            lead.id,
            category="coordination",
            agency_id=lead.id,
            starts_on=since + (self.gen.today - since) / 2,
            agreed_by=agreed_by,
            note=note,
        )

    def consent(self, rows: _Rows, record: Any, involved: list[_AgencyRef]) -> None:
        gen, rng = self.gen, self.gen.rng
        roll = rng.random()
        if roll >= 0.39:
            return
        recorder = involved[0]
        recorded_by_user = rng.choice(recorder.workers).id
        method = rng.choice(("verbal", "written", "digital"))
        values: dict[str, Any] = {"recorded_by_user_id": recorded_by_user, "method": method}
        if roll < 0.30:  # given, in force
            starts = gen.days_ago(1, 700)
            values |= {"status": ConsentStatus.GIVEN, "starts_at": starts}
            if rng.random() < 0.3:
                values["ends_at"] = gen.now + timedelta(days=rng.randint(30, 700))
            values["review_on"] = gen.today + timedelta(days=rng.randint(7, 365))
        elif roll < 0.34:  # withdrawn
            starts = gen.days_ago(100, 900)
            values |= {
                "status": ConsentStatus.WITHDRAWN,
                "starts_at": starts,
                "withdrawn_at": starts + (gen.now - starts) * rng.random(),
                "withdrawn_by_id": recorded_by_user,
                "withdrawal_reason": "The person asked us to stop sharing.",
            }
        elif roll < 0.37:  # expired
            starts = gen.days_ago(400, 1000)
            values |= {
                "status": ConsentStatus.GIVEN,
                "starts_at": starts,
                "ends_at": starts + timedelta(days=rng.randint(30, 365)),
            }
        else:
            values |= {"status": ConsentStatus.REFUSED, "starts_at": gen.days_ago(1, 700)}
        consent_id = record(Consent, recorder.id, category="coordination", **values)
        if values["status"] == ConsentStatus.REFUSED:
            return
        # Permit: one to three agencies — mostly those already involved — some categories, for direct care.
        candidates = [r for r in involved if r is not recorder]
        wanted = rng.choice((1, 1, 2, 2, 3))
        while len(candidates) < wanted:
            extra = _pick(rng, self.agencies)
            if extra is not recorder and extra not in candidates:
                candidates.append(extra)
        recipients = [r.id for r in candidates[:wanted]]
        forums = [self.consent_forum] if rng.random() < 0.1 else []
        categories = rng.sample(CONSENT_CATEGORIES, rng.randint(2, 4))
        purposes = ["direct_care", "forum"] if rng.random() < 0.3 else ["direct_care"]
        sources = [] if rng.random() < 0.8 else [recorder.id]
        self.provision(rows, consent_id, ProvisionKind.PERMIT, recipients, forums, categories, purposes, sources)
        if rng.random() < 0.1:  # and a deny: "not my mental health to the police", say
            everyone = rng.random() < 0.3
            denied = [] if everyone else [self.refs[rng.choice(("police", "housing", "probation"))].id]
            categories = rng.sample(DENIED_CATEGORIES, rng.randint(1, 2))
            self.provision(rows, consent_id, ProvisionKind.DENY, denied, [], categories, ["direct_care"], [], everyone)

    def provision(
        self,
        rows: _Rows,
        consent_id: str,
        kind: str,
        agencies: Iterable[str],
        forums: Iterable[str],
        categories: Iterable[str],
        purposes: Iterable[str],
        sources: Sequence[str],
        any_recipient: bool = False,
    ) -> None:
        provision_id = self.gen.uuid()
        rows.add(
            ConsentProvision,
            id=provision_id,
            consent_id=consent_id,
            kind=kind,
            any_recipient=any_recipient,
            any_source=not sources,
        )
        for agency in agencies:
            rows.add(ConsentProvision.recipient_agencies.through, consentprovision_id=provision_id, agency_id=agency)
        for forum in forums:
            rows.add(ConsentProvision.recipient_forums.through, consentprovision_id=provision_id, forum_id=forum)
        for agency in sources:
            rows.add(ConsentProvision.source_agencies.through, consentprovision_id=provision_id, agency_id=agency)
        for category in categories:
            for purpose in purposes:
                rows.add(ConsentScope, provision_id=provision_id, category=category, purpose=purpose)

    def forum_cases(self, record: Any) -> None:
        gen, rng = self.gen, self.gen.rng
        # A forum with no seeded cases draws nothing, so adding one leaves everyone else's people as they were.
        for forum in (f for f in self.forums if f.share):
            roll = rng.random()
            if roll < forum.share:
                record(
                    ForumCase, forum.host, category="coordination", forum_id=forum.id, opened_at=gen.days_ago(1, 300)
                )
            elif roll < forum.share * 1.5:
                opened = gen.days_ago(200, 700)
                record(
                    ForumCase,
                    forum.host,
                    category="coordination",
                    forum_id=forum.id,
                    opened_at=opened,
                    closed_at=opened + timedelta(days=rng.randint(14, 180)),
                    outcome="Actions complete",
                )

    def referral(
        self,
        rows: _Rows,
        person_id: str,
        involved: list[_AgencyRef],
        held: dict[str, list[tuple[str, str]]],
    ) -> None:
        gen, rng = self.gen, self.gen.rng
        if rng.random() >= 0.06:
            return
        source = rng.choice(involved)
        others = [r for r in involved if r is not source]
        target = rng.choice(others) if others and rng.random() < 0.6 else None
        while target is None or target is source:
            target = _pick(rng, self.agencies)
        state = _pick(rng, _REFERRAL_STATES)
        link_id = gen.uuid()
        rows.add(
            ReferralLink,
            id=link_id,
            person_id=person_id,
            from_agency_id=source.id,
            to_agency_id=target.id,
            state=state,
        )
        records = held.get(source.id, [])
        for record_type, record_id in rng.sample(records, min(len(records), rng.randint(1, 3))):
            rows.add(ReferralAttachment, link_id=link_id, record_type=record_type, record_id=record_id)


def _write_people(batch: _Batch, *, first_id: str, people: int, seed: int) -> None:
    """One batch of people in one transaction, with its change event."""
    with transaction.atomic():
        written = batch.insert()
        record_change(
            SYSTEM,
            action="demo_people_generate",
            obj=Person(pk=uuid.UUID(first_id)),
            before=None,
            after={"people": people, "seed": seed, "rows": written},
        )


_maker: "_People | None" = None  # in a worker process: what the parent set up before forking


def _make_chunk(job: tuple[int, int]) -> tuple[_Batch, str]:
    assert _maker is not None
    return _maker.chunk(*job)


def _close_connection() -> None:
    connection.close()


def generate(*, people: int = 500, seed: int = 2026, workers: int | None = None) -> dict[str, int]:
    """Create the demo partnership with `people` people; returns what was made.

    People come in chunks of BATCH, each from its own seeded random stream, so the same seed gives
    the same partnership however it is made. On PostgreSQL, outside a transaction, worker processes
    make the chunks (`workers`, by default one per core) while a thread writes them in order.
    """
    global _maker
    gen = _Generator(seed)
    with transaction.atomic():
        agencies = _agencies(gen)
        seed_pathways(agencies)
        seed_demo_directory(agencies)
        refs = _users(gen, agencies, people)
        forums = _sharing(gen, refs)
        seed_forum_pathways(Forum.objects.all())
        seed_forum_meetings(gen.now)
    made = {"agencies": len(agencies), "users": User.objects.count(), "people": people}
    maker = _People(gen, refs, forums)
    jobs = [(n, min(BATCH, people - n * BATCH)) for n in range(math.ceil(people / BATCH))]
    if connection.vendor != "postgresql" or connection.in_atomic_block or len(jobs) < 2:
        for job in jobs:
            batch, first_id = maker.chunk(*job)
            _write_people(batch, first_id=first_id, people=job[1], seed=seed)
        seed_forum_story(gen.now)
        seed_risk_story(gen.now)
        return made
    workers = workers or os.cpu_count() or 1
    _maker = maker
    connections.close_all()  # the workers are forked: none may share the parent's connection
    try:
        with (
            multiprocessing.get_context("fork").Pool(workers) as pool,
            ThreadPoolExecutor(max_workers=1, thread_name_prefix="demo-writer") as writer,
        ):
            pending: deque[Future[None]] = deque()
            try:
                for job, (batch, first_id) in zip(jobs, pool.imap(_make_chunk, jobs), strict=True):
                    while len(pending) >= 2:
                        pending.popleft().result()
                    pending.append(writer.submit(_write_people, batch, first_id=first_id, people=job[1], seed=seed))
                while pending:
                    pending.popleft().result()
            finally:
                writer.submit(_close_connection).result()
    finally:
        _maker = None
    seed_forum_story(gen.now)
    seed_risk_story(gen.now)
    return made


# ---------------------------------------------------------------------------------------------
# The co-occurring forum's week, told through the real services, for people trying the demo (and
# the forum browser journey): two people referred this week and accepted onto the forum's list,
# one of whom the forum discussed five months ago, so the coordinator's agenda flags a repeat.

STORY = (  # who refers, why, and the risks they know of
    (
        "recovery",
        "Drinking has increased since the tenancy warning, and mood is low; the recovery plan has stalled",
        "Drinks alone at night; talked of not wanting to wake up; no plans made",
    ),
    (
        "housing",
        "Rent arrears and a notice to quit; the tenant says the voices keep her awake and she is scared",
        "Could lose her home within a month; not seen by mental health since the spring",
    ),
)


def _story_person(agency: Agency, forum: Forum) -> Person | None:
    """The first person (by name) the agency works with who is not on the forum's list now, and
    whose identity an agency party to the forum's agreement recorded (so the forum can name them)."""
    listed = ForumCase.objects.filter(forum_cases_open(), forum=forum).values("person_id")
    involved = Involvement.objects.filter(active_involvements(), agency=agency).exclude(person_id__in=listed)
    if forum.agreement is not None:
        involved = involved.filter(person__recorded_by__in=forum.agreement.parties.all())
    first = involved.order_by("person__family_name", "person__given_name", "person_id").first()
    return first.person if first else None


def _story_history(forum: Forum, person: Person, now: datetime) -> None:
    """The person was listed, discussed and closed at the forum five months ago."""
    held = now - timedelta(days=150)
    meeting = Meeting.objects.create(
        forum=forum, starts_at=held, ends_at=held + timedelta(hours=2), status=MeetingStatus.HELD, venue="Room 3"
    )
    meeting.minutes_published_at = held + timedelta(days=1)
    meeting.save(update_fields=["minutes_published_at"])
    ForumCase.objects.create(
        person=person,
        recorded_by=forum.host,
        category=ForumCase.DEFAULT_CATEGORY,
        forum=forum,
        opened_at=held - timedelta(days=12),
        closed_at=held + timedelta(days=60),
        outcome="risk_reduced",
    )
    AgendaItem.objects.create(
        person=person,
        recorded_by=forum.host,
        category=AgendaItem.DEFAULT_CATEGORY,
        meeting=meeting,
        kind=AgendaKind.NEW,
        risk_level=RiskLevel.MEDIUM,
        position=1,
        minutes_taken=14,
    )
    CaseDiscussion.objects.create(
        person=person,
        recorded_by=forum.host,
        category=CaseDiscussion.DEFAULT_CATEGORY,
        meeting=meeting,
        summary="Engaging with recovery; housing stable for now.",
        risks="Relapse after a loss; debts.",
        decisions="Recovery leads; review if housing is at risk again.",
    )


def seed_forum_story(now: datetime) -> list[Referral]:
    """Refer, send and accept the story's two people into the co-occurring forum (see STORY)."""
    forum = Forum.objects.filter(kind="co_occurring").select_related("coordinator").first()
    pathway = Pathway.objects.filter(forum=forum).first() if forum else None
    if forum is None or pathway is None or forum.coordinator is None:
        return []
    agreement = forum.agreement
    accepted = []
    for n, (slug, reason, risks) in enumerate(STORY):
        referrer = User.objects.filter(username=f"{slug}.practitioner").select_related("agency").first()
        person = _story_person(referrer.agency, forum) if referrer and referrer.agency else None
        if referrer is None or person is None:
            continue
        if n == 0:
            _story_history(forum, person, now)
        who = actor_for(referrer, "demo")
        referral = referral_draft(
            who,
            person=person,
            pathway=pathway,
            urgency=pathway.urgencies.order_by("order")[0],
            reason=reason,
            risk_summary=risks,
            sharing_basis="agreement",
            agreement=agreement,
            referred_by=referrer,
        )
        referral_send(who, referral_id=referral.pk)
        accepted.append(referral_accept(actor_for(forum.coordinator, "demo"), referral_id=referral.pk))
    return accepted


# ---------------------------------------------------------------------------------------------
# Risk in the demo, told through the real services: the substance use worker's caseload includes
# two people, one with a domestic abuse checklist done seven months ago (so the person page says a
# review is due) and a domestic abuse marker in force, and an expired warning that still shows as
# expired. The risk browser journey starts from this caseload.

RISK_WORKER = "recovery.practitioner"
RISK_CASELOAD = 2


def _risk_caseload(worker: User) -> list[Person]:
    """The worker's people: theirs already, topped up with people recovery does not yet work with."""
    assert worker.agency is not None
    mine = Involvement.objects.filter(active_involvements(), key_worker=worker).values("person_id")
    people = list(Person.objects.filter(pk__in=mine).order_by("family_name", "given_name", "pk")[:RISK_CASELOAD])
    if len(people) >= RISK_CASELOAD:
        return people
    known = Involvement.objects.filter(active_involvements(), agency=worker.agency).values("person_id")
    newcomers = Person.objects.exclude(pk__in=known).order_by("family_name", "given_name", "pk")
    who = actor_for(worker, "demo")
    for person in newcomers[: RISK_CASELOAD - len(people)]:
        involvement_start(
            who,
            person=person,
            starts_on=clock.today() - timedelta(days=40),
            team=worker.team,
            role="Key worker",
            key_worker=worker,
        )
        people.append(person)
    return people


def seed_risk_story(now: datetime) -> list[Person]:
    """The worker's caseload, with an old checklist, a current marker and an expired warning."""
    worker = User.objects.filter(username=RISK_WORKER).select_related("agency", "team").first()
    checklist = catalogue.tool_get("domestic_abuse")
    if worker is None or worker.agency is None or checklist is None:
        return []
    people = _risk_caseload(worker)
    if not people or Flag.objects.filter(person=people[0], recorded_by=worker.agency).exists():
        return people
    who = actor_for(worker, "demo")
    today = clock.local(now).date()
    answers: dict[str, object] = {}
    for n, item in enumerate(checklist.spec.items):
        answers[item.key] = 0 if item.kind == ItemKind.NUMBER else ("yes" if n % 2 else "no")
    assessment_complete(who, person=people[0], tool=checklist, answers=answers, assessed_on=today - timedelta(days=213))
    flag_add(
        who,
        person=people[0],
        kind="domestic_abuse",
        reason="Ex-partner has found her new address; do not share contact details with him",
        starts_on=today - timedelta(days=10),
        ends_on=today + timedelta(days=80),
    )
    # History from before the demo began, written as it stood (the service refuses a past end date).
    Flag.objects.create(
        person=people[-1],
        recorded_by=worker.agency,
        category=FLAG_CATEGORIES[FlagKind.RISK_TO_STAFF],
        kind=FlagKind.RISK_TO_STAFF,
        reason="Threatened a worker at the hub in the spring; visit in pairs",
        starts_on=today - timedelta(days=200),
        ends_on=today - timedelta(days=20),
        author=worker,
    )
    return people
