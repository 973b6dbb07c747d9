"""The timed operations: each real selector call (policy and audit included) beside its baseline."""

import gc
import itertools
import statistics
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from functools import partial
from typing import Any

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from joinedup.accounts.actors import actor_for
from joinedup.accounts.models import User
from joinedup.bench import selectors as baseline
from joinedup.core.actor import Actor
from joinedup.core.errors import NotFound
from joinedup.core.vocabulary import Purpose
from joinedup.people import selectors
from joinedup.people.models import Person
from joinedup.sharing import policy

# Who is timed: a practitioner of the largest agency, a housing officer and a volunteer.
ACTORS = ("cmht.practitioner", "housing.practitioner", "dbi.volunteer")
PAGE = 50
SAMPLE = 25  # people of each kind per actor, taken in turn


@dataclass
class Case:
    """One operation for one actor: the real call and its baseline, each given the same argument in turn."""

    operation: str
    actor: str
    args: Sequence[Any]
    policy: Callable[[Any], object]
    baseline: Callable[[Any], object]


@dataclass
class Timing:
    operation: str
    actor: str
    n: int
    policy_p50: float  # milliseconds
    policy_p95: float
    baseline_p50: float
    baseline_p95: float
    policy_queries: int
    baseline_queries: int
    explain: list[str] = field(default_factory=list)

    @property
    def ratio(self) -> float:
        return self.policy_p50 / self.baseline_p50 if self.baseline_p50 else float("inf")

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def _actor(username: str) -> Actor:
    user = User.objects.select_related("agency").get(username=username)
    return actor_for(user, request_id=f"bench-{uuid.uuid4().hex[:12]}")


@dataclass
class Sample:
    visible: list[Person]
    hidden: list[Person]


def sample(actor: Actor, seed: int) -> Sample:
    """People the actor may and may not see, spread across the table (decided by the policy itself)."""
    ids = baseline.candidates(SAMPLE * 12, seed=f"{seed}/{actor.username}")
    seen = set(policy.visible_people(actor, Purpose.DIRECT_CARE).filter(pk__in=ids).values_list("pk", flat=True))
    rows = baseline.people(ids)
    visible = [rows[pk] for pk in ids if pk in seen][:SAMPLE]
    hidden = [rows[pk] for pk in ids if pk not in seen][:SAMPLE]
    return Sample(visible, hidden)


def _rows(page: selectors.Page[Any]) -> int:
    return len(page.rows)


def cases(seed: int, only: str = "") -> list[Case]:
    found: list[Case] = []
    for username in ACTORS:
        actor = _actor(username)
        people = sample(actor, seed)
        if not people.visible or not people.hidden:
            raise SystemExit(f"No sample people for {username}: is the partnership generated?")
        # Whom the actor can find by name and number (some visible people show only a record, not who they are).
        identifiable = list(
            policy.readable_people(actor, Purpose.DIRECT_CARE)
            .filter(pk__in=[p.pk for p in people.visible])
            .order_by("pk")
        )
        found += [
            _search(actor, "search: family name prefix (4 letters)", [p.family_name[:4] for p in identifiable]),
            _search(
                actor,
                "search: given name prefix + family name",
                [f"{p.given_name[:3]} {p.family_name}" for p in identifiable],
            ),
            _search(actor, "search: NHS number", [p.nhs_number for p in identifiable if p.nhs_number]),
            Case(
                "person page (may see)",
                username,
                [p.pk for p in people.visible],
                partial(_person, actor, must_exist=True),
                baseline.person_page,
            ),
            Case(
                "person page (may not see: 404)",
                username,
                [p.pk for p in people.hidden],
                partial(_person, actor, must_exist=False),
                baseline.person_page,
            ),
            Case(
                f"list: all people, first {PAGE}",
                username,
                [""],
                lambda query, a=actor: _rows(selectors.person_search(a, query=query, size=PAGE)),  # type: ignore[misc]
                lambda query: baseline.search(query, PAGE),
            ),
        ]
        if "practitioner" in username:
            found.append(
                Case(
                    f"list: caseload, first {PAGE}",
                    username,
                    [actor],
                    lambda a: _rows(selectors.caseload(a, size=PAGE)),
                    lambda a: baseline.caseload(a.agency_id, a.user_id, PAGE),
                )
            )
    return [c for c in found if only in c.operation]


def _search(actor: Actor, operation: str, queries: list[str]) -> Case:
    """The baseline runs the same query and stops at as many rows as the real search returned."""
    shown: dict[str, int] = {}

    def real(query: str) -> int:
        shown[query] = _rows(selectors.person_search(actor, query=query, size=PAGE))
        return shown[query]

    def base(query: str) -> object:
        if query not in shown:
            real(query)
        return baseline.search(query, max(shown[query], 1))

    return Case(operation, actor.username, queries, real, base)


def _person(actor: Actor, person_id: uuid.UUID, *, must_exist: bool) -> object:
    try:
        return selectors.person_get(actor, person_id=person_id, route="/bench/")
    except NotFound:
        if must_exist:
            raise
        return None


def _timed(call: Callable[[Any], object], arg: Any, *, rollback: bool) -> float:
    started = time.perf_counter_ns()
    if rollback:
        with transaction.atomic():
            call(arg)
            transaction.set_rollback(True)
    else:
        call(arg)
    return (time.perf_counter_ns() - started) / 1e6


def _queries(call: Callable[[Any], object], arg: Any) -> tuple[int, list[dict[str, str]]]:
    with CaptureQueriesContext(connection) as captured:
        call(arg)
    return len(captured.captured_queries), captured.captured_queries


def _explain(queries: list[dict[str, str]], top: int = 3) -> list[str]:
    """EXPLAIN ANALYZE of the slowest read queries of one call."""
    reads = [q for q in queries if q["sql"].lstrip().upper().startswith("SELECT")]
    slowest = sorted(reads, key=lambda q: float(q["time"]), reverse=True)[:top]
    plans = []
    with connection.cursor() as cursor:
        for query in slowest:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + query["sql"])
            plan = "\n".join(row[0] for row in cursor.fetchall())
            plans.append(f"-- {float(query['time']) * 1000:.1f} ms\n{query['sql']}\n{plan}")
    return plans


def run(case: Case, *, warmup: int, reps: int, min_reps: int, budget: float, rollback: bool, explain: bool) -> Timing:
    """Warm up on every argument, then time policy and baseline alternately (drift hits both alike)."""
    warm_until = time.monotonic() + budget
    for i, arg in enumerate(itertools.islice(itertools.cycle(case.args), max(warmup, len(case.args)))):
        case.policy(arg)
        case.baseline(arg)
        if i + 1 >= len(case.args) and time.monotonic() > warm_until:
            break  # slow cases: every argument once is warm enough
    first = case.args[0]
    policy_queries, captured = _queries(case.policy, first)
    baseline_queries, _ = _queries(case.baseline, first)
    plans = _explain(captured) if explain else []
    real: list[float] = []
    base: list[float] = []
    gc.collect()
    deadline = time.monotonic() + budget
    for i in range(reps):
        arg = case.args[i % len(case.args)]
        pair = [(case.policy, real), (case.baseline, base)]
        for call, into in pair if i % 2 == 0 else reversed(pair):
            into.append(_timed(call, arg, rollback=rollback))
        if i + 1 >= min_reps and time.monotonic() > deadline:
            break
    return Timing(
        operation=case.operation,
        actor=case.actor,
        n=len(real),
        policy_p50=statistics.median(real),
        policy_p95=_p95(real),
        baseline_p50=statistics.median(base),
        baseline_p95=_p95(base),
        policy_queries=policy_queries,
        baseline_queries=baseline_queries,
        explain=plans,
    )


def _p95(values: list[float]) -> float:
    if len(values) < 2:
        return values[0]
    return statistics.quantiles(values, n=20, method="inclusive")[-1]
