"""The tools in use: the shipped definitions, loaded into the RiskTool table on first need.

Loading is idempotent: a (slug, version) already loaded is left alone. A shipped file whose content
differs from the row loaded under the same version is refused — a changed tool must get a new
version, so that assessments made with the old one still read as they were made.
"""

from collections.abc import Sequence

from django.db import IntegrityError, transaction

from joinedup.risk.definitions import ToolDefinition, shipped
from joinedup.risk.models import RiskTool


class ToolVersionClash(Exception):
    """A definition changed without its version number changing."""


def _row_for(spec: ToolDefinition) -> RiskTool:
    definition = spec.model_dump(mode="json")
    row = RiskTool.objects.filter(slug=spec.slug, version=spec.version).first()
    if row is None:
        try:
            with transaction.atomic():
                row = RiskTool.objects.create(
                    slug=spec.slug,
                    version=spec.version,
                    name=spec.name,
                    category=spec.category,
                    review_interval_days=spec.review_interval_days,
                    definition=definition,
                )
        except IntegrityError:  # loaded by a request racing this one
            row = RiskTool.objects.get(slug=spec.slug, version=spec.version)
    if row.definition != definition:
        raise ToolVersionClash(f"{spec.slug} version {spec.version} changed: give the new definition a new version")
    return row


def load(definitions: Sequence[ToolDefinition] | None = None) -> list[RiskTool]:
    """The current version of each tool, loaded if it was not already."""
    return [_row_for(spec) for spec in (shipped() if definitions is None else definitions)]


def current_tools() -> list[RiskTool]:
    return sorted(load(), key=lambda t: t.name)


def tool_get(slug: str) -> RiskTool | None:
    """The current version of one tool."""
    return next((t for t in load() if t.slug == slug), None)
