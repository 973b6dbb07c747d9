"""Shared by the directory tests: the Open Referral UK fixtures and schemas, and a validator."""

import json
import os
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from jsonschema import Draft202012Validator

from joinedup.agencies.directory.models import Location, Organization, Taxonomy, TaxonomyTerm


def _standard_dir() -> Path:
    """The Open Referral UK files: $HSDS_UK_DIR, else the workspace's shared/standards beside the checkout."""
    candidates = [os.environ.get("HSDS_UK_DIR", ""), Path(settings.BASE_DIR).parent / "shared", Path("/work/shared")]
    for base in filter(None, candidates):
        path = Path(base) if str(base).endswith("hsds-uk") else Path(base) / "standards" / "hsds-uk"
        if path.is_dir():
            return path.resolve()
    return (Path(settings.BASE_DIR).parent / "shared" / "standards" / "hsds-uk").resolve()


HSDS_UK = _standard_dir()
EXAMPLES = HSDS_UK / "examples"
SCHEMAS = HSDS_UK / "schema"


def require_standard() -> None:
    """Skip without the fixtures on a developer's machine; CI sets REQUIRE_STANDARDS so it fails instead."""
    if not (EXAMPLES.is_dir() and SCHEMAS.is_dir()):
        message = f"The Open Referral UK fixtures are not here: expected them in {HSDS_UK} (or set HSDS_UK_DIR)"
        if os.environ.get("REQUIRE_STANDARDS"):
            pytest.fail(message)
        pytest.skip(message)


def examples() -> list[Path]:
    require_standard()
    return sorted(EXAMPLES.glob("*.json"))


def example_names() -> list[str]:
    """For parametrize at collection: the fixture names, or one placeholder whose test then skips."""
    return [p.name for p in sorted(EXAMPLES.glob("*.json"))] if EXAMPLES.is_dir() else ["(fixtures absent)"]


def example(name: str) -> Any:
    require_standard()
    return json.loads((EXAMPLES / name).read_text())


@cache
def validator(schema: str) -> Draft202012Validator:
    """A draft 2020-12 validator for schema/<schema>.json that also checks formats (uuid, email, date)."""
    require_standard()
    document = json.loads((SCHEMAS / f"{schema}.json").read_text())
    Draft202012Validator.check_schema(document)
    return Draft202012Validator(document, format_checker=Draft202012Validator.FORMAT_CHECKER)


def errors(schema: str, item: Any) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator(schema).iter_errors(item)]


def clear_directory() -> None:
    """Empty every directory table (services, their children and links go with their owners)."""
    Organization.objects.all().delete()
    Location.objects.all().delete()
    TaxonomyTerm.objects.all().delete()
    Taxonomy.objects.all().delete()
