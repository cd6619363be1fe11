"""Factories for the inspections models."""

import datetime

import factory

from inspections.choices import FindingSource, InspectionMode, InspectionStatus, PhotoStage
from inspections.models import Finding, FindingPhoto, Inspection, InspectionRound
from tests.factories import TownshipFactory, UserFactory, track
from townships.models import City


class InspectionRoundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InspectionRound

    city = factory.LazyFunction(lambda: City.objects.get(code="331100"))
    name = factory.Sequence(lambda n: f"2019年第{n + 1}轮督查")
    starts_on = datetime.date(2019, 3, 1)


class InspectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Inspection

    township = factory.SubFactory(TownshipFactory)
    inspected_on = datetime.date(2019, 3, 10)
    mode = InspectionMode.OPEN
    filed_by = factory.SubFactory(UserFactory)
    status = InspectionStatus.SUBMITTED
    submitted_at = factory.LazyFunction(lambda: datetime.datetime(2019, 3, 10, 12, tzinfo=datetime.UTC))


class FindingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Finding

    township = factory.SubFactory(TownshipFactory)
    track = factory.LazyFunction(track)
    source = FindingSource.INSPECTION
    description = factory.Sequence(lambda n: f"沿街立面破损第{n}处")
    location = "解放街"
    deadline = datetime.date(2030, 12, 31)


class FindingPhotoFactory(factory.django.DjangoModelFactory):
    """A photo row whose files are placeholders (list pages never open the files)."""

    class Meta:
        model = FindingPhoto

    finding = factory.SubFactory(FindingFactory)
    stage = PhotoStage.BEFORE
    original = factory.Sequence(lambda n: f"evidence/findings/original/f{n}.jpg")
    image = factory.Sequence(lambda n: f"evidence/findings/display/f{n}.jpg")
    thumbnail = factory.Sequence(lambda n: f"evidence/findings/thumb/f{n}.jpg")
    derivatives = "ready"
    content_type = "image/jpeg"
    size = 1000
    sha256 = factory.Sequence(lambda n: f"{n:064x}")
    width = 100
    height = 100
    uploaded_by = factory.SubFactory(UserFactory)
