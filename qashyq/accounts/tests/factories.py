import factory
from factory.django import DjangoModelFactory

from qashyq.accounts.models import User
from qashyq.core import names

TEST_PASSWORD = "correct-horse-battery"


class UserFactory(DjangoModelFactory):
    """An account with a Kazakh name. Roles: pass `roles=[Role.X, ...]`."""

    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n:03d}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.kz")
    first_name = factory.Sequence(lambda n: names.KAZAKH_MALE[n % len(names.KAZAKH_MALE)])
    last_name = factory.Sequence(lambda n: names.KAZAKH_SURNAMES[n % len(names.KAZAKH_SURNAMES)])
    password = factory.django.Password(TEST_PASSWORD)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create and extracted:
            from django.contrib.auth.models import Group

            self.groups.set(Group.objects.filter(name__in=[str(r) for r in extracted]))
            # Setting the groups raised the stored roles version; the object a test signs in with must carry it,
            # as a user read from the database does, or its session's roles are read again on the first request.
            self.refresh_from_db(fields=["roles_version"])
