"""This app's part of the offline snapshot (core.offline): what a field form names, in the user's scope."""

from django.db.models import Prefetch

from .choices import Role
from .models import Membership, Track
from .scope import visible_people, visible_townships


def townships_section(user) -> list[dict]:
    rows = visible_townships(user).select_related("county").order_by("code")
    return [
        {"id": t.pk, "code": t.code, "name": t.name, "county": t.county.name, "county_code": t.county.code}
        for t in rows
    ]


def tracks_section(user) -> list[dict]:
    return [{"code": t.code, "name": t.name} for t in Track.objects.order_by("position", "code")]


def people_section(user) -> list[dict]:
    """People a form may name: by name, with their unit; never an API account."""
    people = (
        visible_people(user)
        .filter(is_active=True)
        .exclude(memberships__role=Role.API_CLIENT)
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=Membership.objects.select_related("township", "county", "city").order_by("pk"),
            )
        )
        .order_by("last_name", "first_name", "username")
    )
    rows = []
    for person in people:
        memberships = list(person.memberships.all())
        units = [str(m.township or m.county or m.city or "") for m in memberships]
        rows.append(
            {
                "id": person.pk,
                "name": person.get_full_name() or person.username,
                "unit": "、".join(u for u in units if u),
                "roles": sorted({m.role for m in memberships}),
                "townships": sorted({m.township_id for m in memberships if m.township_id}),
            }
        )
    return rows
