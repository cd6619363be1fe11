"""The registry CSV's `note` column is research provenance: users never see it (issue 14)."""

import importlib

import pytest
from django.apps import apps
from django.core.management import call_command
from django.urls import reverse

from townships.models import Township

pytestmark = pytest.mark.django_db

RESEARCH = "街道: county-seat/urban 街道; whether it was a separate 小城镇整治 object depends on being 独立于城区 - unverified"


def test_the_township_page_and_api_show_no_research_note(client_as, api_as, users):
    call_command("load_lishui", verbosity=0)
    ziji = Township.objects.get(code="331102001")
    assert ziji.note == ""
    page = client_as(users["city_office"]).get(reverse("townships:township_detail", args=[ziji.pk]))
    assert page.status_code == 200
    assert "unverified" not in page.content.decode()
    answer = api_as(users["city_office"]).get(f"/api/v1/townships/{ziji.pk}/")
    assert answer.status_code == 200
    assert answer.json()["note"] == ""


def test_load_lishui_keeps_a_users_note(lishui):
    Township.objects.filter(code="331102001").update(note="主街立面改造已完成")
    call_command("load_lishui", verbosity=0)
    assert Township.objects.get(code="331102001").note == "主街立面改造已完成"


def test_the_migration_empties_imported_research_notes_only(lishui):
    Township.objects.filter(code="331102001").update(note=RESEARCH)
    Township.objects.filter(code="331102002").update(note="用户填写的备注")
    migration = importlib.import_module("townships.migrations.0005_registry_notes_out_of_user_notes")
    migration.empty_research_notes(apps, None)
    assert Township.objects.get(code="331102001").note == ""
    assert Township.objects.get(code="331102002").note == "用户填写的备注"
