import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from joinedup.agencies.directory import hsds
from joinedup.agencies.tests.hsds_support import clear_directory, errors, example, examples

pytestmark = pytest.mark.django_db


def _subset(expected, actual, path="", also=frozenset()):
    """Every key and value of `expected` is in `actual`; `actual` may add only empty lists (and `also`)."""
    if isinstance(expected, dict):
        assert isinstance(actual, dict), path
        for key, value in expected.items():
            assert key in actual, f"{path}.{key} missing"
            _subset(value, actual[key], f"{path}.{key}", also)
        for key in actual.keys() - expected.keys() - also:
            assert actual[key] == [], f"{path}.{key} added: {actual[key]!r}"
    elif isinstance(expected, list):
        assert isinstance(actual, list) and len(actual) == len(expected), path
        for i, (e, a) in enumerate(zip(expected, actual, strict=True)):
            _subset(e, a, f"{path}[{i}]", also)
    else:
        assert actual == expected, f"{path}: {actual!r} != {expected!r}"


def _export(tmp_path, name="out"):
    out = tmp_path / name
    call_command("hsds_export", str(out))
    return {p.name: json.loads(p.read_text()) for p in out.glob("*.json")}, out


def test_export_validates_item_by_item_against_the_compiled_schemas(tmp_path):
    hsds.import_files(examples())
    files, _ = _export(tmp_path)
    assert {"organizations.json", "services.json"} <= files.keys()
    assert isinstance(files["organizations.json"], list) and isinstance(files["services.json"], list)
    assert len(files["organizations.json"]) == 1 and len(files["services.json"]) == 1
    for item in files["organizations.json"]:
        assert errors("organization", item) == []
    for item in files["services.json"]:
        assert errors("service", item) == []


def test_export_keeps_everything_the_fixtures_said(tmp_path):
    hsds.import_files(examples())
    files, _ = _export(tmp_path)
    # taxonomy.json nests the term in its taxonomy, so the term gains that taxonomy's id
    _subset(example("service_full.json"), files["services.json"][0], also={"taxonomy_id"})
    _subset(example("organization_full.json"), files["organizations.json"][0], also={"taxonomy_id"})
    taxonomy = example("taxonomy.json")
    taxonomy["taxonomy_terms"][0]["taxonomy_id"] = taxonomy["id"]  # the link taxonomy.json made by nesting
    _subset(taxonomy, files["taxonomies.json"][0])


def test_round_trip_import_export_import_export_is_identical(tmp_path):
    hsds.import_files(examples())
    _, first = _export(tmp_path, "first")
    clear_directory()
    assert not hsds.export_services() and not hsds.export_organizations()
    call_command("hsds_import", *sorted(str(p) for p in first.glob("*.json")))
    _, second = _export(tmp_path, "second")
    for name in ("organizations.json", "services.json", "taxonomies.json"):
        assert (first / name).read_text() == (second / name).read_text(), name
    # and importing its own export again changes nothing
    assert not hsds.import_files(sorted(first.glob("*.json"))).changed


def test_empty_directory_exports_empty_arrays(tmp_path):
    files, _ = _export(tmp_path)
    assert files["organizations.json"] == [] and files["services.json"] == []


def test_export_into_a_file_is_refused(tmp_path):
    target = tmp_path / "file.txt"
    target.write_text("x")
    with pytest.raises(CommandError, match="is a file, not a folder"):
        call_command("hsds_export", str(target))
