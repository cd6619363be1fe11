"""Where each role lands after signing in, and 我的待办 (issue 19: a home per role).

Township staff land on their own work, a county official on their county, the city office (and
everyone else) on the city overview.
"""

from django.contrib.auth.decorators import login_required
from django.db.models import Case, IntegerField, Value, When
from django.shortcuts import redirect, render
from django.utils.timezone import localdate

from inspections.choices import FindingSource, FindingStatus
from inspections.models import Finding
from inspections.querysets import bulletins_visible_to
from notifications.models import Notification
from townships.choices import Role
from townships.scope import roles_for, visible_counties

# How many rows each block of 我的待办 shows; the full lists are one link away.
BLOCK_ROWS = 10


@login_required
def landing(request):
    """LOGIN_REDIRECT_URL: the first page of each role."""
    roles = roles_for(request.user)
    if request.user.is_superuser or Role.CITY_OFFICE in roles or Role.PROVINCE in roles:
        return redirect("home")
    if Role.TOWNSHIP_STAFF in roles:
        return redirect("my_work")
    if Role.COUNTY_OFFICIAL in roles:
        counties = list(visible_counties(request.user).values_list("code", flat=True)[:2])
        if len(counties) == 1:
            return redirect("standings:county", code=counties[0])
    return redirect("home")


def _rows(queryset):
    return list(queryset.with_list_related().with_days_overdue(localdate())[:BLOCK_ROWS])


@login_required
def my_work(request):
    """我的待办: the user's open items by deadline, items sent back, secretary items, the latest notices."""
    user = request.user
    mine = Finding.objects.open().visible_to(user)
    to_fix = mine.filter(status__in=(FindingStatus.OPEN, FindingStatus.REJECTED))
    # The user's own items first, then the township's; soonest deadline first within each.
    own_first = Case(When(assignee_id=user.pk, then=Value(0)), default=Value(1), output_field=IntegerField())
    context = {
        "open_items": _rows(
            to_fix.exclude(source=FindingSource.SECRETARY).order_by(own_first, "deadline", "pk")
        ),
        "open_count": to_fix.count(),
        "sent_back": _rows(mine.filter(status=FindingStatus.REJECTED).order_by("deadline", "pk")),
        "secretary_items": _rows(mine.secretary().order_by("deadline", "pk")),
        "notices": list(
            Notification.objects.for_user(user)
            .inbox_order()
            .only("pk", "text", "link", "created_at", "read_at")[:5]
        ),
        "bulletins": list(
            bulletins_visible_to(user)
            .published()
            .order_by("-published_at", "-pk")
            .only("pk", "number", "title", "published_at")[:3]
        ),
        "can_fix": bool(roles_for(user) & {Role.TOWNSHIP_STAFF, Role.COUNTY_OFFICIAL, Role.CITY_OFFICE}),
    }
    return render(request, "my_work.html", context)
