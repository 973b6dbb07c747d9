"""Hypothesis profiles for the access-policy property tests: HYPOTHESIS_PROFILE=ci (default) or deep.

"ci" runs enough partnerships to matter on every `make test`, and reports a failure at once with
the example as found (the assertion names the record, the user and the oracle's grounds; the
printed blob replays it); "deep" (`make test-deep`) runs many more and shrinks a failure to a
minimal partnership. Both leave the deadline off (a partnership in the database takes a while to
build) and allow function-scoped fixtures, since every example runs in its own rolled-back
transaction.
"""

import os

from hypothesis import HealthCheck, Phase, settings

_COMMON = {
    "deadline": None,
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.function_scoped_fixture, HealthCheck.data_too_large],
    "print_blob": True,
}

settings.register_profile(
    "ci", max_examples=40, phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.target], **_COMMON
)
settings.register_profile("deep", max_examples=1000, **_COMMON)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
