import factory

from joinedup.agencies.models import Agency, AgencyKind, ContactPoint, ContactPointKind, Sector, Team


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    name = factory.Sequence(lambda n: f"Test Agency {n}")
    kind = AgencyKind.NHS_MENTAL_HEALTH
    sector = Sector.STATUTORY


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    agency = factory.SubFactory(AgencyFactory)
    name = factory.Sequence(lambda n: f"Team {n}")


class ContactPointFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContactPoint

    agency = factory.SubFactory(AgencyFactory)
    kind = ContactPointKind.TEAM_INBOX
    name = "Single point of contact"
    email = factory.Sequence(lambda n: f"spoc{n}@example.org")
