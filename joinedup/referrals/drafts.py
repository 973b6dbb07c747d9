"""A referral not yet sent waits in the user's session, one per person, until they check and send it.

Other apps may start one filled in from their own record (a risk assessment that crosses a trigger,
say): they seed it here and send the user into the wizard, so the user reviews every answer and
sending still goes through the referral services.
"""

import uuid
from collections.abc import Mapping, Sequence
from typing import Any

PREFIX = "referrals:"


def draft_key(person_id: uuid.UUID) -> str:
    return f"{PREFIX}refer:{person_id}"


def draft_seed(
    session: Any,
    *,
    person_id: uuid.UUID,
    pathway_id: uuid.UUID,
    data: Mapping[str, str | Sequence[str]],
    previous: uuid.UUID | None = None,
) -> None:
    """Start (or replace) the person's draft with these answers, as the details form would post them."""
    answers = {k: [v] if isinstance(v, str) else [str(x) for x in v] for k, v in data.items()}
    session[draft_key(person_id)] = {
        "pathway": str(pathway_id),
        "data": answers,
        "previous": str(previous) if previous else None,
    }
