"""The proof of the one access policy: generated partnerships, checked against an independent oracle.

For each generated world (see strategies.py) and a user in it (mostly one the generator planted a
ground for), the real policy, selectors, person page and API must agree with `oracle` (DESIGN §3):
nothing forbidden is returned, nothing permitted is hidden, every returned record is listed, with
its grounds, in its access event, and each refused direct read leaves a denied event. Consent
withdrawal and agreement expiry take effect on the very next request. Each example runs at the
world's own moment, inside a transaction that is rolled back.

Profiles (conftest.py): HYPOTHESIS_PROFILE=ci by default, deep for `make test-deep`.
"""

import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from typing import Any

import pytest
import time_machine
from django.db import transaction
from hypothesis import event, given, settings
from hypothesis import strategies as st

from joinedup.audit.models import AccessEvent, Outcome
from joinedup.core.actor import Actor
from joinedup.core.errors import NotFound
from joinedup.core.tests.helpers import actor
from joinedup.core.vocabulary import Purpose
from joinedup.people import selectors
from joinedup.people.services import involvement_category
from joinedup.sharing import policy, registry
from joinedup.sharing.services import consent_withdraw
from joinedup.sharing.tests import oracle
from joinedup.sharing.tests.oracle import World
from joinedup.sharing.tests.strategies import (
    Built,
    materialise,
    worlds,
    worlds_with_agreement_in_use,
    worlds_with_consent_in_use,
)

pytestmark = [pytest.mark.property, pytest.mark.django_db]

PURPOSES = [Purpose(p) for p in oracle.PURPOSES]
MODELS = {m._meta.label_lower: m for m in registry.record_models()}
# What the person page renders, by record kind: identity (the name, aliases and local identifiers),
# contact details and addresses, the team around the person (each involvement's team), consents
# (a link to each) and case notes. Forum cases are not on the page: the API and the access event
# are checked for every kind.
HTML_KINDS = frozenset(
    {
        oracle.PERSON,
        oracle.ALIAS,
        oracle.IDENTIFIER,
        oracle.CONTACT,
        oracle.ADDRESS,
        oracle.INVOLVEMENT,
        oracle.CONSENT,
        oracle.CASE_NOTE,
    }
)


@contextmanager
def scenario(world: World) -> Iterator[Built]:
    """The world in the database, at its moment; all of it rolled back afterwards."""
    with time_machine.travel(world.now, tick=False), transaction.atomic():
        built = materialise(world)
        yield built
        transaction.set_rollback(True)


def explain(world: World, user: oracle.User, key: str, purpose: str) -> str:
    record = world.record[key]
    held = sorted(oracle.grounds(world, user, record, purpose)) or "forbidden"
    return f"{record} for {user} purpose {purpose}: oracle says {held}"


def _diff(world: World, user: oracle.User, purpose: str, got: set[str], expected: frozenset[str]) -> str:
    lines = [f"returned but forbidden: {explain(world, user, k, purpose)}" for k in sorted(got - expected)]
    lines += [f"hidden but permitted: {explain(world, user, k, purpose)}" for k in sorted(expected - got)]
    return "\n".join(lines)


def _keys(built: Built, rows: Iterable[Any]) -> set[str]:
    return {built.key(row) for row in rows}


def _last_event() -> int:
    return AccessEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0


def _events_since(mark: int) -> list[AccessEvent]:
    return list(AccessEvent.objects.filter(id__gt=mark).order_by("id"))


def _expected_entries(built: Built, expected: dict[str, frozenset[str]]) -> dict[str, tuple[str, str, list[str]]]:
    """How the access event must list each shown record: ref -> (agency, category, grounds)."""
    world = built.world
    return {
        built.ref(key): (str(built.agencies[world.record[key].recorded_by].pk), world.record[key].category, sorted(g))
        for key, g in expected.items()
    }


def check_events(built: Built, mark: int, person: str, purpose: str, expected: dict[str, frozenset[str]]) -> None:
    """One access event for the read: allowed, listing exactly what was shown; or denied, listing nothing."""
    events = _events_since(mark)
    assert len(events) == 1, f"expected one access event, got {[(e.outcome, e.person_id) for e in events]}"
    read = events[0]
    assert (read.person_id, read.purpose) == (built.person_pk(person), purpose)
    if not expected:
        assert (read.outcome, read.records) == (Outcome.DENIED, [])
        return
    assert read.outcome == Outcome.ALLOWED
    listed = {e["ref"]: (e["agency"], e["category"], e["grounds"]) for e in read.records}
    assert len(listed) == len(read.records), "a record is listed twice"
    assert listed == _expected_entries(built, expected), "the event lists other records than those shown"
    assert set(read.grounds) == {g for held in expected.values() for g in held}
    assert set(read.categories) == {built.world.record[k].category for k in expected}


# ---------------------------------------------------------------------------------------------
# 0. The oracle knows the partnership's vocabulary.


def test_the_oracle_knows_every_record_table_and_page_section():
    assert set(MODELS) == set(oracle.RECORD_MODELS)
    assert {s.name for s in registry.sections()} == set(oracle.SECTIONS.values())
    assert {s.name: s.model._meta.label_lower for s in registry.sections()} == {
        name: label for label, name in oracle.SECTIONS.items()
    }


def test_the_oracle_knows_the_role_ceilings_and_involvement_categories():
    from joinedup.accounts.models import Role
    from joinedup.agencies.models import Agency, AgencyKind

    assert {r.code: frozenset(r.categories) for r in Role.objects.all()} == oracle.CEILINGS
    assert set(AgencyKind.values) == set(oracle.INVOLVEMENT_CATEGORY)
    for kind, category in oracle.INVOLVEMENT_CATEGORY.items():
        assert involvement_category(Agency(kind=kind)) == category


# ---------------------------------------------------------------------------------------------
# 1. The policy's own reads: SQL scopes and the per-record decision.


def observe(world: World, user: oracle.User, record: oracle.Record, purpose: str, held: frozenset[str]) -> None:
    """Tell Hypothesis's statistics which grounds the examples exercise (`--hypothesis-show-statistics`)."""
    for ground in held:
        event(f"ground: {ground}")
    if not held and record.category in oracle.ceiling(world, user) and purpose != "analytics":
        event("within the ceiling, but no ground")
    if user.agency and oracle.consent_provisions(world, user.agency, record, purpose) == {"permit", "deny"}:
        event("a deny provision overrides a permit")
    if record.sealed and held and oracle.OWN_AGENCY not in held:
        event("a sealed record opened by an explicit share")


def _subject(world: World, data: st.DataObject) -> tuple[oracle.User, Purpose]:
    """The user and purpose an example checks (building each SQL scope costs more than a small world):
    mostly one the generator planted a ground for."""
    planted = bool(world.focus) and data.draw(st.integers(0, 3), label="planted?") > 0
    pairs = world.focus if planted else [(u.key, q) for u in world.users for q in oracle.PURPOSES]
    key, purpose = data.draw(st.sampled_from(pairs), label="user, purpose")
    return world.user[key], Purpose(purpose)


@given(world=worlds(), data=st.data())
def test_policy_scopes_and_decisions_equal_the_oracle(world: World, data: st.DataObject) -> None:
    user, purpose = _subject(world, data)
    with scenario(world) as built:
        who = actor(built.users[user.key])
        for label, model in MODELS.items():
            got = _keys(built, policy.readable_records(who, model, purpose))
            expected = oracle.readable_records(world, user, purpose, [label])
            assert got == expected, _diff(world, user, purpose, got, expected)
        got = _keys(built, policy.readable_people(who, purpose))
        expected = oracle.readable_people(world, user, purpose)
        assert got == expected, _diff(world, user, purpose, got, expected)
        got = _keys(built, policy.visible_people(who, purpose))
        expected = oracle.visible_people(world, user, purpose)
        assert got == expected, f"visible_people for {user} {purpose}: {sorted(got)} != {sorted(expected)}"
        for record in world.records:
            decision = policy.can_view(who, built.rows[record.key], purpose)
            held = oracle.grounds(world, user, record, purpose)
            observe(world, user, record, purpose, held)
            assert (decision.allowed, set(decision.grounds)) == (bool(held), held), explain(
                world, user, record.key, purpose
            )


# ---------------------------------------------------------------------------------------------
# 2. One person: the selector, the page and the API, with their access events.


def _shown_by_selector(built: Built, access: Any) -> dict[str, frozenset[str]]:
    return {built.key(s.record): frozenset(s.grounds) for s in access.shown()}


def _shown_by_api(built: Built, data: dict[str, Any]) -> dict[str, frozenset[str]]:
    by_pk = {str(row.pk): key for key, row in built.rows.items()}
    rows = [data["identity"]] if data["identity"] else []
    for section in oracle.SECTIONS.values():
        rows += data.get(section, [])
    return {by_pk[str(row["id"])]: frozenset(row["grounds"]) for row in rows}


def check_person_get(built: Built, world: World, user: oracle.User, who: Actor, person: str) -> None:
    expected = oracle.person_view(world, user, person)
    purpose = oracle.page_purpose(world, user, person)
    mark = _last_event()
    try:
        shown = _shown_by_selector(built, selectors.person_get(who, person_id=built.person_pk(person)))
    except NotFound:
        shown = {}
    assert shown == expected, _diff(world, user, purpose, set(shown), frozenset(expected))
    check_events(built, mark, person, purpose, expected)


def check_page(built: Built, world: World, user: oracle.User, client: Any, person: str) -> None:
    expected = oracle.person_view(world, user, person)
    purpose = oracle.page_purpose(world, user, person)
    mark = _last_event()
    response = client.get(f"/people/{built.person_pk(person)}/")
    check_events(built, mark, person, purpose, expected)
    if not expected:
        assert response.status_code == 404
        assert person not in response.content.decode()
        return
    assert response.status_code == 200
    html = response.content.decode()
    for record in world.records:
        if record.model not in HTML_KINDS:
            continue
        text = built.text(record.key)
        if record.key in expected:
            assert text in html, f"hidden on the page: {explain(world, user, record.key, purpose)}"
        else:
            assert text not in html, f"shown on the page: {explain(world, user, record.key, purpose)}"


def check_api_person(built: Built, world: World, user: oracle.User, client: Any, person: str) -> None:
    expected = oracle.person_view(world, user, person)
    purpose = oracle.page_purpose(world, user, person)
    mark = _last_event()
    response = client.get(f"/api/v1/people/{built.person_pk(person)}")
    check_events(built, mark, person, purpose, expected)
    if not expected:
        assert response.status_code == 404
        return
    assert response.status_code == 200
    data = response.json()
    shown = _shown_by_api(built, data)
    absent = sorted({oracle.SECTIONS.get(world.record[k].model, "identity") for k in expected} - set(data))
    why = f"the API's person has no {absent} section\n" if absent else ""
    assert shown == expected, why + _diff(world, user, purpose, set(shown), frozenset(expected))


@given(world=worlds(), data=st.data())
def test_person_selector_page_and_api_equal_the_oracle(world: World, data: st.DataObject, client_for: Any) -> None:
    user, _ = _subject(world, data)
    with scenario(world) as built:
        who = actor(built.users[user.key])
        client = client_for(built.users[user.key])
        for person in world.people:
            check_person_get(built, world, user, who, person)
            check_page(built, world, user, client, person)
            check_api_person(built, world, user, client, person)
        # A person who does not exist looks exactly like one the user may not see.
        mark = _last_event()
        missing = uuid.uuid4()
        assert client.get(f"/api/v1/people/{missing}").status_code == 404
        assert [(e.person_id, e.outcome) for e in _events_since(mark)] == [(missing, Outcome.DENIED)]


# ---------------------------------------------------------------------------------------------
# 3. Search: counts and results, on the page's selector and the API.


def check_search_events(
    built: Built, world: World, mark: int, user: oracle.User, purpose: str, people: set[str]
) -> None:
    """A search writes one event per person listed, for their identity record alone; nothing for the filtered."""
    events = _events_since(mark)
    assert all(e.outcome == Outcome.ALLOWED and e.purpose == purpose for e in events)
    by_person = {e.person_id: e for e in events}
    assert len(by_person) == len(events) and set(by_person) == {built.person_pk(p) for p in people}
    for person in people:
        held = oracle.grounds(world, user, world.record[person], purpose)
        listed = [
            (e["ref"], e["agency"], e["category"], e["grounds"]) for e in by_person[built.person_pk(person)].records
        ]
        assert listed == [(ref, *entry) for ref, entry in _expected_entries(built, {person: held}).items()]


@given(world=worlds(), data=st.data())
def test_search_equals_the_oracle(world: World, data: st.DataObject, client_for: Any) -> None:
    user, other = _subject(world, data)
    size = data.draw(st.integers(1, 3), label="page size")
    names = [r for r in world.records if r.model in (oracle.PERSON, oracle.ALIAS)]
    searched = data.draw(st.sampled_from(names), label="name searched")
    with scenario(world) as built:
        who = actor(built.users[user.key])
        # Every page of the list, small pages so that paging shows: the count, the pages and the
        # rows are those of the people the user may identify, in name order (family names are alike).
        for purpose in dict.fromkeys([Purpose.DIRECT_CARE, other]):
            expected = oracle.readable_people(world, user, purpose)
            in_order = sorted(expected, key=lambda p: (world.record[p].key, built.person_pk(p)))
            mark = _last_event()
            pages = [selectors.person_search(who, query="", purpose=purpose, page=1, size=size)]
            pages += [
                selectors.person_search(who, query="", purpose=purpose, page=n, size=size)
                for n in range(2, pages[0].pages + 1)
            ]
            got = [built.key(s.record) for page in pages for s in page.rows]
            assert got == in_order, _diff(world, user, purpose, set(got), expected)
            assert {(page.total, page.pages) for page in pages} == {(len(expected), max(1, -(-len(expected) // size)))}
            check_search_events(built, world, mark, user, purpose, set(got))
        # A name finds its person only if the user may read both the person's identity and the
        # record holding the name (the person row itself, or an alias).
        found = _keys(built, [s.record for s in selectors.person_search(who, query=searched.key).rows])
        identity = world.record[searched.person]
        visible = oracle.readable(world, user, identity, "direct_care") and oracle.readable(
            world, user, searched, "direct_care"
        )
        assert found == ({searched.person} if visible else set()), explain(world, user, searched.key, "direct_care")
        mark = _last_event()
        mine = _keys(built, [s.record for s in selectors.caseload(who).rows])
        assert mine == oracle.caseload(world, user), f"caseload of {user}"
        check_search_events(built, world, mark, user, "direct_care", mine)
        client = client_for(built.users[user.key])
        expected = oracle.readable_people(world, user, "direct_care")
        mark = _last_event()
        response = client.get("/api/v1/people?q=").json()
        by_pk = {str(built.person_pk(p)): p for p in world.people}
        assert response["count"] == len(expected)
        assert {by_pk[str(r["id"])] for r in response["results"]} == expected
        check_search_events(built, world, mark, user, "direct_care", set(expected))


# ---------------------------------------------------------------------------------------------
# 4. Changes take effect on the very next request.


# Each example checks one user before and after the change: half as many as the profile's.
CHANGES = settings(max_examples=max(10, settings().max_examples // 2))


def check_reads(built: Built, world: World, user: oracle.User, purpose: str, person: str, client: Any) -> None:
    """The user's SQL scopes for `purpose`, and the person through the selector and the API, equal the
    oracle's answers for `world` (the facts as they are at this moment)."""
    who = actor(built.users[user.key])
    got = _keys(built, policy.readable_people(who, Purpose(purpose)))
    for model in MODELS.values():
        got |= _keys(built, policy.readable_records(who, model, Purpose(purpose)))
    expected = oracle.readable_records(world, user, purpose)
    assert got == expected, _diff(world, user, purpose, got, expected)
    check_person_get(built, world, user, who, person)
    check_api_person(built, world, user, client, person)


def _affected(before: World, after: World, data: st.DataObject) -> tuple[oracle.User, str, str]:
    """A user, purpose and person whose answer the change alters, when it alters any."""
    everyone = [(u, q, p) for u in before.users for q in oracle.PURPOSES for p in before.people]

    def alters(user: oracle.User, purpose: str, person: str) -> bool:
        changed = oracle.readable_records(before, user, purpose) ^ oracle.readable_records(after, user, purpose)
        return any(before.record[k].person == person for k in changed) or oracle.person_view(
            before, user, person
        ) != oracle.person_view(after, user, person)

    altered = [c for c in everyone if alters(*c)]
    event("the change alters an answer" if altered else "the change alters no answer")
    return data.draw(st.sampled_from(altered or everyone), label="user, purpose, person")


def _author(built: Built, agency: str) -> Actor:
    """Someone at `agency` acting through the services (services check the agency, not the person)."""
    assert built.author is not None
    return Actor(
        user_id=built.author.pk,
        username="oracle.author",
        agency_id=built.agencies[agency].pk,
        agency_name=f"Agency {agency}",
        team_id=None,
        roles=frozenset({"practitioner"}),
    )


def withdrawn(world: World, consent: oracle.Consent) -> World:
    changed = replace(consent, status="withdrawn", withdrawn_at=world.now)
    return replace(world, consents=tuple(changed if c is consent else c for c in world.consents))


@CHANGES
@given(case=worlds_with_consent_in_use(), data=st.data())
def test_consent_withdrawal_takes_effect_on_the_next_request(
    case: tuple[World, oracle.Consent], data: st.DataObject, client_for: Any
) -> None:
    world, consent = case
    after = withdrawn(world, consent)
    user, purpose, person = _affected(world, after, data)
    with scenario(world) as built:
        client = client_for(built.users[user.key])
        check_reads(built, world, user, purpose, person, client)
        by = _author(built, world.record[consent.record].recorded_by)
        consent_withdraw(by, consent_id=built.consents[consent.record].pk, reason="Changed their mind")
        check_reads(built, after, user, purpose, person, client)


def _local_midnight_after(day: date) -> datetime:
    return datetime.combine(day + timedelta(days=1), time(0), tzinfo=oracle.LONDON)


@CHANGES
@given(case=worlds_with_agreement_in_use(), data=st.data())
def test_agreement_expiry_takes_effect_on_the_next_request(
    case: tuple[World, oracle.Agreement], data: st.DataObject, client_for: Any
) -> None:
    world, agreement = case
    # The agreement ends today: in force until midnight in England, and not a moment after.
    assert agreement.ends_on == world.today
    midnight = _local_midnight_after(world.today)
    last, first = replace(world, now=midnight - timedelta(microseconds=1)), replace(world, now=midnight)
    user, purpose, person = _affected(last, first, data)
    with scenario(world) as built:
        for moment in (last, first):
            with time_machine.travel(moment.now, tick=False):
                # Hours later: the session has gone idle, so the user signs in again.
                check_reads(built, moment, user, purpose, person, client_for(built.users[user.key]))


# Worked examples: one agency reading through one ground, which then goes.

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=oracle.LONDON)


def _two_agencies(*extra: oracle.Record, **facts: Any) -> World:
    """Mental health recorded a person, their phone and a mental health note; housing is not involved."""
    return World(
        now=NOW,
        agencies=(oracle.Agency("mh", "nhs_mental_health"), oracle.Agency("ho", "housing")),
        users=(oracle.User("housing.officer", "ho", (oracle.RoleGrant("practitioner", NOW - timedelta(days=9)),)),),
        records=(
            oracle.Record("mk901q", oracle.PERSON, "mk901q", "mh", "identity"),
            oracle.Record("mk902q", oracle.CONTACT, "mk901q", "mh", "contact"),
            oracle.Record("mk903q", oracle.CASE_NOTE, "mk901q", "mh", "mental_health"),
            *extra,
        ),
        **facts,
    )


def test_withdrawn_consent_stops_the_very_next_page_api_and_search(client_for: Any) -> None:
    scopes = frozenset({("identity", "direct_care"), ("contact", "direct_care")})
    permit = oracle.Provision("permit", agencies=frozenset({"ho"}), scopes=scopes)
    record = oracle.Record("mk904q", oracle.CONSENT, "mk901q", "mh", "coordination")
    world = _two_agencies(
        record, consents=(oracle.Consent("mk904q", "given", NOW - timedelta(days=2), provisions=(permit,)),)
    )
    user = world.users[0]
    assert oracle.person_view(world, user, "mk901q").keys() == {"mk901q", "mk902q"}
    with scenario(world) as built:
        client = client_for(built.users[user.key])
        page = f"/people/{built.person_pk('mk901q')}/"
        assert "mk902q" in client.get(page).content.decode()
        assert client.get("/api/v1/people?q=mk901q").json()["count"] == 1
        consent_withdraw(_author(built, "mh"), consent_id=built.consents["mk904q"].pk, reason="Changed their mind")
        mark = _last_event()
        assert client.get(page).status_code == 404
        check_events(built, mark, "mk901q", "direct_care", {})
        assert client.get(f"/api/v1/people/{built.person_pk('mk901q')}").status_code == 404
        assert client.get("/api/v1/people?q=mk901q").json()["count"] == 0


def test_expired_agreement_stops_the_very_next_request(client_for: Any) -> None:
    agreement = oracle.Agreement(
        "dsa1",
        parties=frozenset({"mh", "ho"}),
        signed=True,
        starts_on=NOW.date() - timedelta(days=30),
        ends_on=NOW.date(),
        scopes=frozenset({("identity", "direct_care"), ("mental_health", "direct_care")}),
    )
    referral = oracle.Referral("rf1", "mk901q", "mh", "ho", "accepted")
    world = _two_agencies(agreements=(agreement,), referrals=(referral,))
    user = world.users[0]
    assert oracle.person_view(world, user, "mk901q").keys() == {"mk901q", "mk903q"}
    with scenario(world) as built:
        url = f"/api/v1/people/{built.person_pk('mk901q')}"
        note_row = built.rows["mk903q"]
        with time_machine.travel(_local_midnight_after(NOW.date()) - timedelta(microseconds=1), tick=False):
            assert client_for(built.users[user.key]).get(url).status_code == 200
            assert policy.can_view(actor(built.users[user.key]), note_row, Purpose.DIRECT_CARE).allowed
        with time_machine.travel(_local_midnight_after(NOW.date()), tick=False):
            assert client_for(built.users[user.key]).get(url).status_code == 404
            assert not policy.can_view(actor(built.users[user.key]), note_row, Purpose.DIRECT_CARE).allowed
            assert not policy.readable_people(actor(built.users[user.key]), Purpose.DIRECT_CARE).exists()


def test_an_alias_the_agency_recorded_shows_without_the_identity(client_for: Any) -> None:
    """Housing recorded a name the person is known by, but may not read mental health's identity record.

    The page exists for housing (it may read the alias), and the access event lists the alias as
    shown: so the page must show it.
    """
    alias = oracle.Record("mk905q", oracle.ALIAS, "mk901q", "ho", "identity")
    identifier = oracle.Record("mk906q", oracle.IDENTIFIER, "mk901q", "ho", "identity")
    world = _two_agencies(alias, identifier)
    user = world.users[0]
    assert oracle.person_view(world, user, "mk901q") == {
        "mk905q": {oracle.OWN_AGENCY},
        "mk906q": {oracle.OWN_AGENCY},
    }
    with scenario(world) as built:
        response = client_for(built.users[user.key]).get(f"/people/{built.person_pk('mk901q')}/")
        assert response.status_code == 200
        html = response.content.decode()
        assert "mk901q" not in html
        assert "mk905q" in html
        assert "mk906q" in html
