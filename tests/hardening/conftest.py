"""A world of in-scope and out-of-scope objects built once per module inside a rolled-back transaction."""

import pytest
from django.db import transaction

JPEG = (
    b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xdb\x00C\x00"
    + bytes([8] * 64)
    + b"\xff\xc0\x00\x0b\x08\x00\x01\x00\x01\x01\x01\x11\x00\xff\xc4\x00\x14\x00\x01"
    + bytes(15)
    + b"\x00"
    + b"\xff\xc4\x00\x14\x10\x01"
    + bytes(16)
    + b"\xff\xda\x00\x08\x01\x01\x00\x00?\x00\xd2\xcf \xff\xd9"
)


def module_users():
    """The users of tests/conftest.py:users, made the same way (that fixture is function-scoped)."""
    from tests.factories import make_member
    from townships.choices import Role
    from townships.models import City, County, Township

    city = City.objects.get(code="331100")
    liandu = County.objects.get(code="331102")
    return {
        "province": make_member(Role.PROVINCE, username="province"),
        "city_office": make_member(Role.CITY_OFFICE, username="city", city=city),
        "county_official": make_member(Role.COUNTY_OFFICIAL, username="liandu", county=liandu),
        "inspector": make_member(Role.INSPECTOR, username="inspector", county=liandu),
        "township_staff": make_member(
            Role.TOWNSHIP_STAFF, username="bihu", township=Township.objects.get(code="331102100")
        ),
        "api_client": make_member(Role.API_CLIENT, username="apiclient", city=city),
    }


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """{"users", "in", "out", "agent", "ranking", "media"}: rolled back when the module ends.

    Building the registry and ~40 objects per side once keeps a matrix of ~2,000 requests fast; each
    test runs in a savepoint inside this transaction, so a POST changes nothing for the next test.
    """
    from tests.hardening.world import build_world
    from townships.models import Township
    from townships.services import DATA_DIR, townships_import_csv, tracks_ensure

    media = tmp_path_factory.mktemp("hardening-media")
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            townships_import_csv(text=(DATA_DIR / "lishui_townships.csv").read_text(encoding="utf-8"))
            tracks_ensure()
            users = module_users()
            built = build_world(users, Township.objects.get(code="331102100"))
            for side in ("in", "out"):
                photo = built[side]["photo"]
                evidence = built[side]["progress"].evidence.name
                grid = built[side]["grid_photo"]
                names = (photo.original.name, photo.image.name, photo.thumbnail.name, evidence)
                attachment = built[side]["guidance_attachment"].file.name
                for name in (*names, grid.original.name, grid.thumbnail.name, attachment):
                    path = media / name
                    path.parent.mkdir(parents=True, exist_ok=True)
                    path.write_bytes(JPEG)
                for job in built[side]["export_jobs"].values():
                    path = media / job.file
                    path.parent.mkdir(parents=True, exist_ok=True)
                    path.write_bytes("\ufeff编号\r\n1\r\n".encode())
            from tests.hardening.world import second_city_users

            yield {**built, "users": users, "media": media, "second_city": second_city_users()}
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
