"""The shape of a risk tool's definition (the JSON files under risk/tools/), checked when it is loaded.

A tool is data, not code: its items, how they score, the bands the score falls in, the answers
that raise the level whatever the score (escalations), and the level at which a forum referral is
offered (triggers). Anything that does not hang together is refused here, before any assessment
can use it.
"""

import functools
import json
from enum import StrEnum
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from joinedup.core.vocabulary import Category

TOOLS_DIR = Path(__file__).parent / "tools"


class ItemKind(StrEnum):
    YES_NO = "yes_no"  # yes / no / not known
    SCALE = "scale"  # one of a few options, each with a score
    NUMBER = "number"  # a count, e.g. incidents in the last 12 months (escalations read it)


class Answer(StrEnum):
    YES = "yes"
    NO = "no"
    NOT_KNOWN = "not_known"


ANSWER_WORDS = {Answer.YES: "Yes", Answer.NO: "No", Answer.NOT_KNOWN: "Not known"}


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Option(Strict):
    value: str
    label: str
    score: int = 0


class Item(Strict):
    key: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    kind: ItemKind
    text: str
    # How the item reads in a referral when it is answered yes ("Threats to kill").
    summary: str = ""
    hint: str = ""
    yes_score: int = 1  # what "yes" adds when the tool sums scores
    options: tuple[Option, ...] = ()
    maximum: int = 999  # for numbers
    # For numbers: a blank answer is recorded as "not known" rather than refused (a count no one has
    # is not the same as none, and a referral must not say 0 when it means "we do not know").
    may_be_not_known: bool = False

    @model_validator(mode="after")
    def _options_fit_kind(self) -> "Item":
        if (self.kind == ItemKind.SCALE) != bool(self.options):
            raise ValueError(f"item {self.key}: scale items, and only they, have options")
        if self.may_be_not_known and self.kind != ItemKind.NUMBER:
            raise ValueError(f"item {self.key}: only number items are left blank when not known")
        return self


class Group(Strict):
    title: str
    items: tuple[Item, ...]


class Band(Strict):
    level: str
    label: str
    min_score: int


class Escalation(Strict):
    """An answer that raises the level to at least `raises_to`, whatever the score."""

    item: str
    at_least: int | None = None  # for number items
    equals: str | None = None  # for yes/no and scale items
    raises_to: str
    reason: str

    @model_validator(mode="after")
    def _one_condition(self) -> "Escalation":
        if (self.at_least is None) == (self.equals is None):
            raise ValueError(f"escalation on {self.item}: give either at_least or equals")
        return self


class Trigger(Strict):
    """From this level up, offer a referral to a forum of this kind."""

    at_least: str
    forum_kind: str
    offer: str


class ToolDefinition(Strict):
    slug: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    version: int = Field(ge=1)
    name: str
    summary: str
    category: Literal[Category.SAFEGUARDING, Category.RISK, Category.MENTAL_HEALTH]
    review_interval_days: int = Field(ge=1)
    scoring: Literal["count_yes", "sum"]
    groups: tuple[Group, ...]
    bands: tuple[Band, ...]
    escalations: tuple[Escalation, ...] = ()
    triggers: tuple[Trigger, ...] = ()
    judgement_guidance: str = ""

    @property
    def items(self) -> tuple[Item, ...]:
        return tuple(i for g in self.groups for i in g.items)

    def item(self, key: str) -> Item | None:
        return next((i for i in self.items if i.key == key), None)

    @property
    def levels(self) -> tuple[str, ...]:
        """The band levels, lowest first: a level's place here is its rank."""
        return tuple(b.level for b in self.bands)

    def label(self, level: str) -> str:
        return next((b.label for b in self.bands if b.level == level), level)

    def rank(self, level: str) -> int:
        return self.levels.index(level)

    @model_validator(mode="after")
    def _hangs_together(self) -> "ToolDefinition":
        keys = [i.key for i in self.items]
        if len(keys) != len(set(keys)):
            raise ValueError("item keys must be unique")
        if not self.bands or self.bands[0].min_score != 0:
            raise ValueError("the lowest band must start at a score of 0")
        if [b.min_score for b in self.bands] != sorted({b.min_score for b in self.bands}):
            raise ValueError("bands must rise in score, lowest first")
        for rule in self.escalations:
            item = self.item(rule.item)
            if item is None:
                raise ValueError(f"escalation names an unknown item: {rule.item}")
            if (item.kind == ItemKind.NUMBER) != (rule.at_least is not None):
                raise ValueError(f"escalation on {rule.item}: numbers use at_least, other items equals")
            allowed = [a.value for a in Answer] if item.kind == ItemKind.YES_NO else [o.value for o in item.options]
            if rule.equals is not None and rule.equals not in allowed:
                raise ValueError(f"escalation on {rule.item}: {rule.equals!r} is not one of its answers")
            if rule.raises_to not in self.levels:
                raise ValueError(f"escalation raises to an unknown level: {rule.raises_to}")
        for trigger in self.triggers:
            if trigger.at_least not in self.levels:
                raise ValueError(f"trigger names an unknown level: {trigger.at_least}")
        return self


def parse(text: str) -> ToolDefinition:
    return ToolDefinition.model_validate(json.loads(text))


@functools.cache
def shipped() -> tuple[ToolDefinition, ...]:
    """Every definition shipped with the product, checked. Read once per process: the files change
    only with a release, and every risk page asks for the tools."""
    return tuple(parse(path.read_text(encoding="utf-8")) for path in sorted(TOOLS_DIR.glob("*.json")))
