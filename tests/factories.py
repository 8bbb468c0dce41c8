"""Factories for the whole suite. Each builds valid rows with the least typing."""

import base64
import datetime as dt
import hashlib
import hmac
import struct
import time
from zoneinfo import ZoneInfo

import factory
from allauth.mfa.adapter import get_adapter as get_mfa_adapter
from allauth.mfa.models import Authenticator
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group as Role
from django.utils import timezone

from actions.models import Action, ActionUpdate
from core.second_factor import second_factor_required
from meetings.models import Attendance, KeyUpdate, Meeting
from members.models import Agency, Group, Membership, Person
from tracker.models import (
    CrestRecommendation,
    MeasureValue,
    PerformanceMeasure,
    QuarterlyReport,
    ToCActivity,
)

LONDON = ZoneInfo("Europe/London")
PASSWORD = "correct-horse-battery-staple"
# The authenticator-app secret of every factory account that needs a second factor.
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def totp_code(secret: str, at: float | None = None, *, step: int = 30) -> str:
    """The 6-digit code an authenticator app shows for `secret` (RFC 6238), written here
    independently of the library under test."""
    key = base64.b32decode(secret.upper() + "=" * (-len(secret) % 8))
    counter = int((time.time() if at is None else at) // step)
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


def give_second_factor(user, secret: str = TOTP_SECRET) -> Authenticator:
    """Set up an authenticator app for `user`, as if they had done it themselves."""
    return Authenticator.objects.create(
        user=user,
        type=Authenticator.Type.TOTP,
        data={"secret": get_mfa_adapter().encrypt(secret)},
    )


def london(year: int, month: int, day: int, hour: int = 10, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=LONDON)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        for name in extracted or ():
            # get_or_create: transactional tests flush the roles the migration made.
            self.groups.add(Role.objects.get_or_create(name=name)[0])
        if create:
            self.save()

    @factory.post_generation
    def second_factor(self, create, extracted, **kwargs):
        """Accounts that must have a second factor get one, unless told `False`."""
        if not create or extracted is False:
            return
        self.__dict__.pop("_vrp_roles", None)
        if extracted or second_factor_required(self):
            give_second_factor(self)
        self.__dict__.pop("_vrp_roles", None)


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    name = factory.Sequence(lambda n: f"Agency {n}")
    short_name = factory.Sequence(lambda n: f"A{n}")
    sector = Agency.Sector.POLICE
    duty_status = Agency.DutyStatus.SPECIFIED


class GroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Group

    name = factory.Sequence(lambda n: f"Working Group {n}")
    kind = Group.Kind.WORKING


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    full_name = factory.Sequence(lambda n: f"Person {n}")
    email = factory.Sequence(lambda n: f"person{n}@example.org")
    job_title = "Communications Lead"
    agency = factory.SubFactory(AgencyFactory)
    user = None


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    group = factory.SubFactory(GroupFactory)
    agency = factory.SubFactory(AgencyFactory)
    role_title = factory.Sequence(lambda n: f"Communications Lead {n}")
    person = factory.SubFactory(PersonFactory, agency=factory.SelfAttribute("..agency"))


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    group = factory.SubFactory(GroupFactory)
    starts_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=30))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + dt.timedelta(minutes=90))
    format = Meeting.Format.TEAMS


class AttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attendance

    meeting = factory.SubFactory(MeetingFactory)
    membership = factory.SubFactory(
        MembershipFactory, group=factory.SelfAttribute("..meeting.group")
    )
    status = Attendance.Status.PRESENT


class KeyUpdateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = KeyUpdate

    meeting = factory.SubFactory(MeetingFactory)
    text = factory.Sequence(lambda n: f"Key update {n}")


class ToCActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ToCActivity

    group = factory.SubFactory(GroupFactory)
    code = factory.Sequence(lambda n: f"9.{n}")
    title = factory.Sequence(lambda n: f"Activity {n}")


class CrestRecommendationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CrestRecommendation

    group = factory.SubFactory(GroupFactory)
    code = factory.Sequence(lambda n: f"9.{n}")
    text = factory.Sequence(lambda n: f"Recommendation {n}")


class PerformanceMeasureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PerformanceMeasure

    group = factory.SubFactory(GroupFactory)
    code = factory.Sequence(lambda n: f"9.9.9.{n}")
    title = factory.Sequence(lambda n: f"Measure {n}")
    outcome = "Partners are well informed"
    success_measure = "Communications reach partners"
    data_source = "VRU"


class MeasureValueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MeasureValue

    measure = factory.SubFactory(PerformanceMeasureFactory)
    year = 2024
    quarter = 1
    value = 100


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Action

    group = factory.SubFactory(GroupFactory)
    title = factory.Sequence(lambda n: f"Action {n}")
    owner = factory.SubFactory(PersonFactory)
    agency = factory.SelfAttribute("owner.agency")
    due_date = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=30))


class ActionUpdateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActionUpdate

    action = factory.SubFactory(ActionFactory)
    text = "Progress made."


class QuarterlyReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = QuarterlyReport

    group = factory.SubFactory(GroupFactory)
    year = 2024
    quarter = 1
    content = factory.LazyFunction(dict)
    finalised_by = factory.SubFactory(UserFactory)
