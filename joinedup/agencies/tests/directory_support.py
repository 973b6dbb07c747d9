"""Shared by the directory tests: the demo partnership's agencies and their directory entries."""

from joinedup.agencies.directory.demo import seed_demo_directory
from joinedup.agencies.models import Agency
from joinedup.agencies.tests.factories import AgencyFactory, TeamFactory
from joinedup.demo.partnership import AGENCIES


def demo_agencies() -> dict[str, Agency]:
    made = {}
    for spec in AGENCIES:
        agency = AgencyFactory(
            name=spec.name, short_name=spec.short_name, kind=spec.kind, sector=spec.sector, description=spec.description
        )
        for team in spec.teams:
            TeamFactory(agency=agency, name=team)
        made[spec.slug] = agency
    return made


def seeded() -> dict[str, Agency]:
    agencies = demo_agencies()
    seed_demo_directory(agencies)
    return agencies
