import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from joinedup.agencies.directory import hsds
from joinedup.agencies.directory.models import (
    Address,
    Attribute,
    Organization,
    Schedule,
    Service,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)
from joinedup.agencies.tests.hsds_support import example, example_names, examples

pytestmark = pytest.mark.django_db

SERVICE_ID = "ac148810-d857-441c-9679-408f346de14b"
ORG_ID = "d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610"


def _row_counts() -> dict[str, int]:
    return {label: model.objects.count() for model, label in hsds.LABELS}


@pytest.mark.parametrize("name", example_names())
def test_every_fixture_imports_on_its_own(name):
    report = hsds.import_files([next(p for p in examples() if p.name == name)])
    assert report.records >= 1
    assert report.changed


def test_all_fixtures_import_together_and_again_change_nothing(capsys):
    paths = [str(p) for p in examples()]
    call_command("hsds_import", *paths)
    first = _row_counts()
    assert first["organizations"] == 1 and first["services"] == 1 and first["taxonomies"] == 1
    assert first["taxonomy terms"] == 1 and first["service at locations"] == 1 and first["addresses"] == 1
    capsys.readouterr()

    call_command("hsds_import", *paths)
    out = capsys.readouterr().out
    assert _row_counts() == first
    assert "nothing changed" in out
    report = hsds.import_files(paths)
    assert not report.changed
    assert report.count("services").unchanged == 1 and report.count("services").created == 0


def test_fields_land_where_hsds_says():
    hsds.import_files(list(examples()))
    service = Service.objects.get(pk=SERVICE_ID)
    assert service.organization_id is not None and str(service.organization_id) == ORG_ID
    assert service.minimum_age == 12 and service.maximum_age == 100
    assert service.last_modified.isoformat() == "2023-03-15T10:30:45.123000+00:00"
    schedule = Schedule.objects.get(service=service)
    assert schedule.byday == "TH,FR" and schedule.opens_at.hour == 10 and schedule.freq == "WEEKLY"
    assert Address.objects.get().postal_code == "ABC 1234"
    assert ServiceAtLocation.objects.get().location.name == "MyCity Civic Center"
    term = TaxonomyTerm.objects.get()
    # taxonomy.json nests the term, so it links to that taxonomy; the service's copy does not unlink it
    assert term.taxonomy == Taxonomy.objects.get() and term.taxonomy_name == "taxonomy"
    assert str(term.parent_id) == "0bc248fa-dc27-4650-9ba4-8f1a24ef16a2"  # a parent the feed does not publish
    assert Attribute.objects.get().service == service
    assert Organization.objects.get().parent_organization_id is not None


def test_a_nested_list_present_is_the_whole_collection():
    data = example("service_full.json")
    hsds.import_data(data)
    data["schedules"] = []
    data["service_areas"][0]["name"] = "Northshire"
    report = hsds.import_data(data)
    assert report.count("schedules").deleted == 1 and report.count("service areas").updated == 1
    assert not Schedule.objects.exists()
    del data["service_areas"]  # absent: left alone
    hsds.import_data(data)
    assert Service.objects.get().service_areas.get().name == "Northshire"


def test_a_summary_does_not_blank_what_the_full_record_said():
    hsds.import_data(example("service_full.json"))
    summary = example("service_list.json")["contents"][0]
    summary.pop("alert")
    report = hsds.import_data(summary)
    assert not report.changed
    assert Service.objects.get().alert.startswith("Following COVID-19")
    assert Schedule.objects.count() == 1


def test_null_clears_a_field():
    data = example("service_full.json")
    hsds.import_data(data)
    data["alert"] = None
    data["minimum_age"] = None
    hsds.import_data(data)
    service = Service.objects.get()
    assert service.alert == "" and service.minimum_age is None


def _write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text)
    return str(path)


def test_malformed_json_is_a_command_error_naming_the_file(tmp_path):
    good = str(examples()[0])
    bad = _write(tmp_path, "broken.json", '{"id": "ac148810-d857-441c-9679-408f346de14b", "name": ')
    with pytest.raises(CommandError, match=r"broken\.json: is not valid JSON: .* line 1"):
        call_command("hsds_import", good, bad)
    assert not Organization.objects.exists()  # all or nothing


def test_missing_file_is_a_command_error(tmp_path):
    with pytest.raises(CommandError, match=r"nope\.json: cannot be read"):
        call_command("hsds_import", str(tmp_path / "nope.json"))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.pop("status"), r"services\.json: \[0\]\.status: is required"),
        (lambda d: d.update(status="open"), r"\[0\]\.status: must be one of active, inactive"),
        (lambda d: d.update(id="not-a-uuid"), r"\[0\]\.id: is not a UUID"),
        (lambda d: d["organization"].pop("description"), r"\[0\]\.organization\.description: is required"),
        (lambda d: d.pop("organization"), r"\[0\]\.organization: is required"),
        (lambda d: d["schedules"][0].update(opens_at="10am"), r"\[0\]\.schedules\[0\]\.opens_at: is not a time"),
        (lambda d: d["schedules"][0].update(freq="DAILY"), r"schedules\[0\]\.freq: must be one of WEEKLY, MONTHLY"),
        (lambda d: d.update(minimum_age="twelve"), r"\[0\]\.minimum_age: is not a number"),
        (lambda d: d.update(email="not an email"), r"\[0\]\.email: is not an email address"),
        (
            lambda d: d["service_at_locations"][0]["location"]["addresses"][0].pop("postal_code"),
            r"service_at_locations\[0\]\.location\.addresses\[0\]\.postal_code: is required",
        ),
        (lambda d: d["attributes"][0].pop("taxonomy_term"), r"attributes\[0\]\.taxonomy_term: is required"),
        (lambda d: d.update(schedules="weekdays"), r"\[0\]\.schedules: should be a list"),
        (lambda d: d.update(name=""), r"\[0\]\.name: may not be empty"),
    ],
)
def test_missing_or_wrong_fields_are_named(tmp_path, change, message):
    data = example("service_full.json")
    change(data)
    path = _write(tmp_path, "services.json", json.dumps([data]))
    with pytest.raises(CommandError, match=message):
        call_command("hsds_import", path)
    assert not Service.objects.exists() and not Organization.objects.exists()


def test_a_file_of_the_wrong_shape_is_named(tmp_path):
    path = _write(tmp_path, "numbers.json", "[1, 2]")
    with pytest.raises(CommandError, match=r"numbers\.json: \[0\]: should be an object"):
        call_command("hsds_import", path)
    path = _write(tmp_path, "text.json", '"hello"')
    with pytest.raises(CommandError, match=r"text\.json: should hold an HSDS object"):
        call_command("hsds_import", path)


def test_a_reference_to_an_unknown_row_is_named(tmp_path):
    data = example("service_list.json")["contents"][0]
    data.pop("organization")
    data["organization_id"] = "00000000-0000-4000-8000-000000000000"
    path = _write(tmp_path, "one.json", json.dumps(data))
    with pytest.raises(CommandError, match=r"one\.json: organization_id: names organization"):
        call_command("hsds_import", path)


def test_references_may_point_into_another_file(tmp_path):
    org = example("organization_list.json")["contents"][0]
    service = example("service_list.json")["contents"][0]
    service.pop("organization")
    service["organization_id"] = org["id"]
    # The service's file comes first; organizations are imported before services all the same.
    call_command(
        "hsds_import", _write(tmp_path, "s.json", json.dumps(service)), _write(tmp_path, "o.json", json.dumps(org))
    )
    assert Service.objects.get().organization.name == "Example Organization Inc."


def test_kind_can_be_given_when_the_fields_do_not_tell(tmp_path):
    path = _write(
        tmp_path,
        "taxonomy.json",
        json.dumps({"id": "5c4d79d7-cc55-470e-9f1f-8cad074e4892", "name": "Needs", "description": "Our needs"}),
    )
    call_command("hsds_import", path, kind="taxonomy")
    assert Taxonomy.objects.get().name == "Needs"


def test_import_is_audited():
    from joinedup.audit.models import ChangeEvent

    hsds.import_data(example("service_full.json"))
    service_events = ChangeEvent.objects.filter(object_type="agencies.service", object_id=SERVICE_ID)
    assert service_events.count() == 1 and service_events.get().actor_username == "system"
    hsds.import_data(example("service_full.json"))
    assert service_events.count() == 1  # nothing changed, nothing recorded
