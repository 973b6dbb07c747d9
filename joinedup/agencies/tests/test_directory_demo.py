import pytest

from joinedup.agencies.directory import hsds
from joinedup.agencies.directory.demo import ENTRIES, seed_demo_directory
from joinedup.agencies.directory.models import Organization, Service
from joinedup.agencies.tests.directory_support import demo_agencies
from joinedup.agencies.tests.hsds_support import errors

pytestmark = pytest.mark.django_db


def test_one_organization_per_agency_linked_to_it_with_its_services():
    agencies = demo_agencies()
    counts = seed_demo_directory(agencies)
    assert counts == {"organizations": len(agencies), "services": len(ENTRIES)}
    for slug, agency in agencies.items():
        assert Organization.objects.get(agency=agency).name == agency.name, slug
    spa = Service.objects.get(name="Crisis Single Point of Access")
    assert spa.referral_agency == agencies["crisis"]
    assert spa.referral_team is not None and spa.referral_team.name == "Crisis Single Point of Access"
    names = set(Service.objects.values_list("name", flat=True))
    for wanted in (
        "Community Triage line",
        "Distress Brief Intervention",
        "Safe Haven evening crisis centre",
        "Drug and alcohol treatment",
        "Housing options",
        "Peer navigation",
        "Women's Aid outreach",
    ):
        assert wanted in names
    for service in Service.objects.prefetch_related("schedules", "phones", "service_areas", "attributes"):
        assert service.schedules.exists() and service.phones.exists(), service.name
        assert service.service_areas.exists() and service.attributes.exists(), service.name


def test_seeding_again_changes_nothing():
    agencies = demo_agencies()
    seed_demo_directory(agencies)
    before = (Organization.objects.count(), Service.objects.count())
    seed_demo_directory(agencies)
    assert (Organization.objects.count(), Service.objects.count()) == before


def test_the_demo_directory_is_valid_hsds():
    seed_demo_directory(demo_agencies())
    for item in hsds.export_organizations():
        assert errors("organization", item) == [], item["name"]
    for item in hsds.export_services():
        assert errors("service", item) == [], item["name"]


def test_refuge_addresses_are_never_published():
    seed_demo_directory(demo_agencies())
    outreach = Service.objects.get(name="Women's Aid outreach")
    assert not outreach.service_at_locations.exists()


def test_the_demo_directory_round_trips(tmp_path):
    from django.core.management import call_command

    from joinedup.agencies.tests.hsds_support import clear_directory

    seed_demo_directory(demo_agencies())
    call_command("hsds_export", str(tmp_path / "first"))
    clear_directory()
    call_command("hsds_import", *sorted(str(p) for p in (tmp_path / "first").glob("*.json")))
    call_command("hsds_export", str(tmp_path / "second"))
    for name in ("organizations.json", "services.json", "taxonomies.json"):
        assert (tmp_path / "first" / name).read_text() == (tmp_path / "second" / name).read_text(), name
