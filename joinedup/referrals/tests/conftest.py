import pytest

from joinedup.people.tests.factories import ContactDetailFactory, InvolvementFactory, PersonFactory
from joinedup.referrals.tests.factories import PathwayFactory


@pytest.fixture
def setting(partnership):
    p = partnership
    person = PersonFactory(given_name="Ria", family_name="Stone", recorded_by=p.police)
    InvolvementFactory(person=person, agency=p.police)
    phone = ContactDetailFactory(person=person, recorded_by=p.police, value="07700 900444")
    private = ContactDetailFactory(person=person, recorded_by=p.police, value="07700 900555")
    pathway = PathwayFactory(name="Community Triage", to_agency=p.mental_health)
    return {"person": person, "phone": phone, "private": private, "pathway": pathway}
