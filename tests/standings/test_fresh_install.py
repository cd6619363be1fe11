"""A new install has summaries at once: after migrate, load_lishui and targets, without waiting for the beat."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from standings.models import TownshipStanding
from townships.models import Target

pytestmark = [pytest.mark.django_db]


def _fresh_install():
    """migrate (the test database), the registry, and the demo targets: the README's first steps."""
    call_command("load_lishui", verbosity=0)
    call_command("seed_demo", "--force", verbosity=0)
    assert Target.objects.exists()
    assert not TownshipStanding.objects.exists()
    return get_user_model().objects.get(username="city")


def test_progress_by_county_answers_nine_rows_on_a_new_install(api_as):
    city = _fresh_install()
    response = api_as(city).get("/api/v1/progress/", {"group_by": "county"})
    assert response.status_code == 200
    rows = response.json()["results"]
    assert len(rows) == 9
    assert all(row["targets"] and row["target_quantity"] != "0.00" for row in rows)
    assert TownshipStanding.objects.count() == 173


def test_the_home_page_shows_standings_on_a_new_install(client_as):
    city = _fresh_install()
    response = client_as(city).get("/")
    assert response.status_code == 200
    assert "尚无进度汇总" not in response.content.decode()
    assert TownshipStanding.objects.count() == 173


def test_migrate_computes_the_summaries_when_there_are_none(db):
    _fresh_install()
    call_command("migrate", verbosity=0)
    assert TownshipStanding.objects.count() == 173


def test_migrate_leaves_existing_summaries_alone(db):
    _fresh_install()
    call_command("refresh_standings", verbosity=0)
    stamps = set(TownshipStanding.objects.values_list("refreshed_at", flat=True))
    call_command("migrate", verbosity=0)
    assert set(TownshipStanding.objects.values_list("refreshed_at", flat=True)) == stamps
