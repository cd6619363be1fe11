import pytest
from django.core.management import CommandError, call_command

from townships.models import County, Township, Track
from townships.services import DATA_DIR

pytestmark = pytest.mark.django_db


def test_load_lishui_twice_leaves_173_townships():
    call_command("load_lishui")
    call_command("load_lishui")
    assert Township.objects.count() == 173
    assert County.objects.count() == 9
    assert Township.objects.filter(county__code="331181").count() == 19
    assert Township.objects.filter(kind="subdistrict").count() == 31
    assert Township.objects.filter(kind="town").count() == 54
    assert Township.objects.filter(kind="township").count() == 88


def test_names_official_and_aliases():
    call_command("load_lishui")
    shidashi = Township.objects.get(code="331181004")
    assert shidashi.official_name == "𥔲石街道"
    assert shidashi.name == "石达石街道"
    assert Township.objects.search("老竹镇").get().code == "331102103"
    # the CSV's research note stays out of what users see
    assert Township.objects.get(code="331102001").note == ""


def test_import_keeps_staff_edits():
    call_command("load_lishui")
    Township.objects.filter(code="331102100").update(category="central_town", status="passed")
    call_command("load_lishui")
    bihu = Township.objects.get(code="331102100")
    assert (bihu.category, bihu.status) == ("central_town", "passed")


def test_malformed_row_reports_line_and_imports_nothing(tmp_path):
    lines = (DATA_DIR / "lishui_townships.csv").read_text(encoding="utf-8").splitlines()
    lines[5] = lines[5].replace("331102007", "33110X007")  # line 6 of the file
    lines[9] = lines[9].replace(",镇,", ",村,")  # line 10
    bad = tmp_path / "bad.csv"
    bad.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(CommandError) as excinfo:
        call_command("load_lishui", file=bad)
    message = str(excinfo.value)
    assert "Line 6" in message or "第 6 行" in message
    assert "Line 10" in message or "第 10 行" in message
    assert Township.objects.count() == 0
    assert County.objects.count() == 0


def test_tracks_seeded_in_order():
    assert list(Track.objects.order_by("position").values_list("code", flat=True)) == [
        "planning",
        "sanitation",
        "road_occupation",
        "traffic_disorder",
        "line_clutter",
        "scattered_industry",
    ]


def test_seed_demo_is_idempotent():
    call_command("load_lishui")
    call_command("seed_demo", force=True)
    call_command("seed_demo", force=True)
    from django.contrib.auth import get_user_model

    from townships.models import Membership, Target

    assert get_user_model().objects.filter(username="liandu").count() == 1
    assert Membership.objects.filter(user__username="liandu").count() == 1
    assert Target.objects.count() == 173 * 6
