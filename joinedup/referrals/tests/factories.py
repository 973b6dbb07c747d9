import factory

from joinedup.agencies.tests.factories import AgencyFactory
from joinedup.referrals.models import Pathway, UrgencyLevel


class PathwayFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Pathway
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Pathway {n}")
    to_agency = factory.SubFactory(AgencyFactory)
    eligibility_guidance = "Adults in the area who may need this service."

    @factory.post_generation
    def urgencies(self, create: bool, extracted: object, **kwargs: object) -> None:
        UrgencyLevel.objects.create(pathway=self, name="Urgent", target=4, unit="hours", order=1)
        UrgencyLevel.objects.create(pathway=self, name="Routine", target=5, unit="working_days", order=2)
