"""Factories for the foundation models; feature apps keep theirs in tests/<app>/factories.py."""

import datetime
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model

from townships.choices import Role, TownshipCategory, TownshipKind
from townships.models import City, County, Membership, ProgressReport, Target, Township, Track


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Sequence(lambda n: f"用户{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.invalid")
    password = factory.django.Password("pass-1234-word")


class CityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = City
        django_get_or_create = ["code"]

    code = "331100"
    name = "丽水市"


class CountyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = County
        django_get_or_create = ["code"]

    city = factory.SubFactory(CityFactory)
    code = factory.Sequence(lambda n: f"3399{n % 100:02d}")
    name = factory.Sequence(lambda n: f"测试县{n}")


class TownshipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Township
        django_get_or_create = ["code"]

    county = factory.SubFactory(CountyFactory)
    code = factory.LazyAttributeSequence(lambda o, n: f"{o.county.code}1{n % 100:02d}")
    name = factory.Sequence(lambda n: f"测试镇{n}")
    official_name = factory.LazyAttribute(lambda o: o.name)
    kind = TownshipKind.TOWN
    category = TownshipCategory.GENERAL_TOWN
    plan_year = 2018


def track(code: str = "sanitation") -> Track:
    """The seeded track with this code (the data migration creates all six)."""
    return Track.objects.get(code=code)


class TargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Target

    township = factory.SubFactory(TownshipFactory)
    track = factory.LazyFunction(track)
    quantity = Decimal("100")
    unit = "项"
    start_date = datetime.date(2026, 1, 1)
    due_date = datetime.date(2026, 12, 31)


class ProgressReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgressReport

    target = factory.SubFactory(TargetFactory)
    reported_on = datetime.date(2026, 6, 30)
    cumulative_quantity = Decimal("40")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    role = Role.TOWNSHIP_STAFF


def make_member(role: str, *, username: str | None = None, city=None, county=None, township=None):
    """A user holding one role over the given scope."""
    user = UserFactory(**({"username": username} if username else {}))
    Membership.objects.create(user=user, role=role, city=city, county=county, township=township)
    return user


SECOND_CITY_CSV = (
    "county_code,county_name,township_code,township_name,township_kind,note\n"
    "990101,测试县,990101100,测试镇,镇,a second city for the scope tests\n"
)


def second_city(*, in_programme: bool = False):
    """测试市 with one county and township, imported through the app's own service (as on the staged server).

    Lishui's programme is the one ranked; a second city on the same server is usually outside it.
    """
    from townships.services import townships_import_csv

    townships_import_csv(text=SECOND_CITY_CSV, city_code="990100", city_name="测试市")
    township = Township.objects.select_related("county__city").get(code="990101100")
    if not in_programme:
        Township.objects.filter(pk=township.pk).update(in_programme=False)
        township.in_programme = False
    return township.county.city, township.county, township
