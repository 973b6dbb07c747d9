import factory
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from joinedup.accounts.models import Role, RoleGrant, User
from joinedup.accounts.tests.hashers import QuickArgon2PasswordHasher
from joinedup.agencies.tests.factories import AgencyFactory

PASSWORD = "correct horse battery staple"
# Argon2 with low work factors: checking it takes a millisecond, not a third of a second.
_HASHED = make_password(PASSWORD, hasher=QuickArgon2PasswordHasher())


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    first_name = factory.Faker("first_name", locale="en_GB")
    last_name = factory.Faker("last_name", locale="en_GB")
    agency = factory.SubFactory(AgencyFactory)
    password = _HASHED

    @factory.post_generation
    def roles(self, create: bool, extracted: list[str] | None, **kwargs: object) -> None:
        for code in extracted or []:
            RoleGrant.objects.create(
                user=self, role=Role.objects.get(code=code), starts_at=timezone.now() - timezone.timedelta(days=1)
            )
