import datetime

import factory

from joinedup.agencies.tests.factories import AgencyFactory
from joinedup.people.models import Address, Alias, ContactDetail, Involvement, Person
from joinedup.people.nhs_numbers import synthetic
from joinedup.people.services import involvement_category

_stems = iter(range(100_000, 1_000_000))


def next_nhs_number() -> str:
    while (number := synthetic(next(_stems))) is None:
        pass
    return number


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    given_name = factory.Faker("first_name", locale="en_GB")
    family_name = factory.Faker("last_name", locale="en_GB")
    date_of_birth = factory.Faker("date_of_birth", minimum_age=18, maximum_age=90)
    nhs_number = factory.LazyFunction(next_nhs_number)
    recorded_by = factory.SubFactory(AgencyFactory)


class _Record(factory.django.DjangoModelFactory):
    person = factory.SubFactory(PersonFactory)
    recorded_by = factory.SelfAttribute("person.recorded_by")


class AliasFactory(_Record):
    class Meta:
        model = Alias

    category = "identity"
    given_name = factory.Faker("first_name", locale="en_GB")


class ContactDetailFactory(_Record):
    class Meta:
        model = ContactDetail

    category = "contact"
    kind = "mobile"
    value = "07700 900123"


class AddressFactory(_Record):
    class Meta:
        model = Address

    category = "contact"
    kind = "home"
    line1 = factory.Faker("street_address", locale="en_GB")
    town = "Northby"
    postcode = "NS1 1AA"


class InvolvementFactory(factory.django.DjangoModelFactory):
    """An agency working with a person; recorded by that agency, its category from the agency's kind."""

    class Meta:
        model = Involvement

    person = factory.SubFactory(PersonFactory)
    agency = factory.SubFactory(AgencyFactory)
    recorded_by = factory.SelfAttribute("agency")
    category = factory.LazyAttribute(lambda o: involvement_category(o.agency))
    starts_on = factory.LazyFunction(lambda: datetime.date.today() - datetime.timedelta(days=30))
