import datetime

from django.db import models
from django.db.models import Case, Count, DurationField, ExpressionWrapper, F, OuterRef, Q, Value, When
from django.utils.timezone import localdate

from .choices import BulletinStatus, FindingStatus, InspectionStatus


def _today(today: datetime.date | None) -> datetime.date:
    return today or localdate()


# A finding filed in a draft inspection is not on the rectification list until the inspection is submitted.
LISTED = Q(inspection__isnull=True) | ~Q(inspection__status=InspectionStatus.DRAFT)


def overdue_q(today: datetime.date, prefix: str = "") -> Q:
    """THE overdue rule of findings: deadline passed and not closed (derived, never stored).

    days_overdue() below is its mirror for rows already read; tests/inspections/test_lean_list.py
    holds the two equal for every status and deadline.
    """
    return Q(**{f"{prefix}deadline__lt": today}) & ~Q(**{f"{prefix}status": FindingStatus.CLOSED})


def overdue_by(today: datetime.date) -> Case:
    """overdue_q as a duration: how long past the deadline (a timedelta), zero when not overdue."""
    return Case(
        When(
            overdue_q(today),
            then=ExpressionWrapper(Value(today) - F("deadline"), output_field=DurationField()),
        ),
        default=Value(datetime.timedelta(0)),
        output_field=DurationField(),
    )


def days_overdue(deadline: datetime.date, status: str, today: datetime.date) -> int:
    """overdue_q for a row already read: days past the deadline, 0 when not overdue."""
    return (today - deadline).days if deadline < today and status != FindingStatus.CLOSED else 0


def _filed_by(user, prefix: str = "") -> Q:
    return Q(**{f"{prefix}filed_by_id": user.pk}) if user is not None and user.pk else Q(pk__in=[])


class InspectionQuerySet(models.QuerySet):
    def visible_to(self, user):
        """In the user's scope; a draft is its filer's working copy, seen by no one else (404 for them)."""
        from townships.scope import scoped

        return scoped(self, user).filter(~Q(status=InspectionStatus.DRAFT) | _filed_by(user))

    def with_related(self):
        return self.select_related("township", "township__county", "team", "round", "filed_by")

    def with_finding_counts(self):
        return self.annotate(finding_count=Count("findings", distinct=True))


class FindingQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The one read rule of findings for pages, actions, exports, photos and the API.

        In the user's scope, and an item of a draft inspection only for whoever may see that draft
        (InspectionQuerySet.visible_to: its filer); for everyone else it does not exist.
        """
        from townships.scope import scoped

        return scoped(self, user).filter(
            Q(inspection__isnull=True)
            | ~Q(inspection__status=InspectionStatus.DRAFT)
            | _filed_by(user, "inspection__")
        )

    def listed(self):
        """On a rectification list: not archived, and not still in a draft inspection."""
        return self.filter(LISTED, archived=False)

    def open(self):
        """Listed and not yet closed (open, fix submitted or sent back)."""
        return self.listed().exclude(status=FindingStatus.CLOSED)

    def overdue(self, today: datetime.date | None = None):
        return self.listed().filter(overdue_q(_today(today)))

    def with_days_overdue(self, today: datetime.date | None = None):
        """Annotate `is_overdue` (a bool) and `overdue_by` (a timedelta, zero when not overdue).

        Finding.days_overdue reads `overdue_by` as whole days (and falls back on the Python mirror
        when the annotation is absent); the name cannot be `days_overdue` itself, which is that property.
        """
        today = _today(today)
        return self.annotate(
            is_overdue=Case(
                When(overdue_q(today), then=Value(True)),
                default=Value(False),
                output_field=models.BooleanField(),
            ),
            overdue_by=overdue_by(today),
        )

    def with_list_related(self):
        """What a list row shows: township, county, track, assignee, inspection, photos."""
        return self.select_related(
            "township", "township__county", "track", "assignee", "inspection"
        ).prefetch_related(
            models.Prefetch("photos", queryset=_photo_model().objects.order_by("uploaded_at", "pk"))
        )

    def township_counts(self, today: datetime.date | None = None):
        """Per township: found / closed / open / overdue, as ONE aggregate query (standings reuse it)."""
        today = _today(today)
        closed = Q(status=FindingStatus.CLOSED)
        return (
            self.listed()
            .order_by()
            .values("township")
            .annotate(
                found=Count("pk"),
                closed=Count("pk", filter=closed),
                open=Count("pk", filter=~closed),
                overdue=Count("pk", filter=overdue_q(today)),
            )
            .order_by("township")
        )

    def secretary(self):
        return self.filter(source="secretary")


def _photo_model():
    from .models import FindingPhoto

    return FindingPhoto


class YellowCardQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status="active")

    def with_item_counts(self):
        """Linked items: total and closed, as subqueries (a board of 100 cards is still one query)."""
        from townships.querysets import SubqueryCount

        from .models import Finding

        linked = Finding.objects.filter(yellow_cards=OuterRef("pk"))
        return self.annotate(
            item_count=SubqueryCount(linked),
            closed_count=SubqueryCount(linked.filter(status=FindingStatus.CLOSED)),
        )


class BulletinQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=BulletinStatus.PUBLISHED)


def bulletins_visible_to(user):
    """Published bulletins of the user's cities; drafts only for the city office."""
    from townships.choices import Role
    from townships.models import City
    from townships.scope import has_role, visible_counties

    from .models import Bulletin

    cities = City.objects.filter(counties__in=visible_counties(user)).values("pk")
    qs = Bulletin.objects.filter(city__in=cities)
    if not has_role(user, [Role.CITY_OFFICE]):
        qs = qs.published()
    return qs


def rounds_visible_to(user):
    """Rounds of the cities the user sees (a round is a city's)."""
    from townships.scope import visible_cities

    from .models import InspectionRound

    return InspectionRound.objects.filter(city__in=visible_cities(user).values("pk"))


def teams_visible_to(user):
    """Teams of the user's scope: a county's team for those who see that county; a city-level team
    (no county) for those who see a city one of its members works in."""
    from townships.models import Membership
    from townships.scope import user_scope, visible_cities, visible_counties

    from .models import Team

    if user_scope(user).everything:
        return Team.objects.all()
    cities = visible_cities(user).values("pk")
    members = Membership.objects.filter(
        Q(city__in=cities) | Q(county__city__in=cities) | Q(township__county__city__in=cities)
    ).values("user_id")
    city_teams = Team.members.through.objects.filter(user_id__in=members).values("team_id")
    return Team.objects.filter(
        Q(county__in=visible_counties(user)) | Q(county__isnull=True, pk__in=city_teams)
    )
