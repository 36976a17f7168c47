"""factory-boy factories for the models every test needs."""

from datetime import timedelta

import factory
from allauth.account.models import EmailAddress
from django.test import Client

from accounts.models import Program, ProgramMembership, ProgramRole, User
from collaboratives.models import Collaborative, CollaborativeStatus
from teams.models import (
    CoachAssignment,
    Facility,
    FacilityType,
    Team,
    TeamMembership,
    TeamRole,
    TeamStatus,
)
from tests.clock import month

PASSWORD = "correct-horse-battery-staple"


def client_for(user: User) -> Client:
    """A test client signed in as `user` (journeys about the login page use the form)."""
    client = Client()
    client.force_login(user)
    return client


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Faker("name")
    credentials = "RN"
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified_email(obj, create, extracted, **kwargs):
        """allauth needs a verified EmailAddress to let the person sign in."""
        if create and extracted is not False:
            EmailAddress.objects.create(user=obj, email=obj.email, verified=True, primary=True)
        if create:
            obj.save()


class ProgramFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Program

    name = factory.Sequence(lambda n: f"Program {n}")
    slug = factory.Sequence(lambda n: f"program-{n}")


class ProgramMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgramMembership

    program = factory.SubFactory(ProgramFactory)
    user = factory.SubFactory(UserFactory)
    role = ProgramRole.STAFF


class CollaborativeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Collaborative

    program = factory.SubFactory(ProgramFactory)
    title = factory.Sequence(lambda n: f"Collaborative {n}")
    slug = factory.Sequence(lambda n: f"collaborative-{n}")
    status = CollaborativeStatus.ACTIVE
    #: Running for eight months before this one, with ten still to go (18 in all).
    start_date = factory.LazyFunction(lambda: month(-8))
    end_date = factory.LazyFunction(lambda: month(10) - timedelta(days=1))


class FacilityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Facility

    program = factory.SubFactory(ProgramFactory)
    name = factory.Sequence(lambda n: f"Facility {n}")
    facility_type = FacilityType.COMMUNITY_ED
    state = "OH"
    city = "Columbus"


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    collaborative = factory.SubFactory(CollaborativeFactory)
    program = factory.SelfAttribute("collaborative.program")
    facility = factory.SubFactory(FacilityFactory, program=factory.SelfAttribute("..program"))
    name = factory.Sequence(lambda n: f"Team {n}")
    status = TeamStatus.ACTIVE


class TeamMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TeamMembership

    team = factory.SubFactory(TeamFactory)
    program = factory.SelfAttribute("team.program")
    user = factory.SubFactory(UserFactory)
    role = TeamRole.MEMBER


class CoachAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CoachAssignment

    team = factory.SubFactory(TeamFactory)
    program = factory.SelfAttribute("team.program")
    coach = factory.SubFactory(UserFactory)


def give_totp(user: User) -> str:
    """Enrol an authenticator for a user (MFA is required for staff); returns the secret."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def totp_code(secret: str) -> str:
    """The code an authenticator app would show now."""
    import time

    from allauth.mfa.totp.internal.auth import hotp_value

    return f"{hotp_value(secret, int(time.time()) // 30):06d}"
