from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from townships.scope import roles_for

# (url name, label, roles that see it or None for everyone signed in); apps later in the
# build add their entries here, the one menu of the product.
VERIFIERS = ("city_office", "county_official", "inspector")

NAVIGATION = [
    ("home", _("Overview"), None),
    ("my_work", _("My work"), ("township_staff",)),
    ("townships:county_list", _("Counties"), None),
    ("townships:township_list", _("Townships"), None),
    ("inspections:finding_list", _("Rectification list"), None),
    ("inspections:review_queue", _("Review queue"), VERIFIERS),
    ("inspections:secretary_list", _("Secretary-assigned items"), None),
    ("inspections:inspection_list", _("Inspections"), None),
    ("inspections:bulletin_list", _("Bulletins"), None),
    ("inspections:yellowcard_list", _("Yellow cards"), None),
    (
        "inspections:guidance_list",
        _("Specialist guidance"),
        ("city_office", "county_official", "inspector", "township_staff"),
    ),
    ("inspections:deduction_list", _("Deductions"), None),
    ("projects:project_list", _("Projects"), None),
    ("intake:event_list", _("Grid reports"), ("city_office", "county_official", "township_staff")),
    ("acceptance:plan_list", _("Acceptance"), None),
    ("cleaners:cleaner_list", _("Cleaners"), None),
    ("standings:warning_list", _("Warning board"), None),
    ("standings:ranking_list", _("Rankings"), None),
]


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    held = roles_for(user)
    items = []
    current = request.path
    for name, label, roles in NAVIGATION:
        if roles is not None and not (user.is_superuser or held & set(roles)):
            continue
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue  # the app that serves it is not built yet
        active = current == url if url == "/" else current.startswith(url)
        items.append({"url": url, "label": label, "active": active})
    return {"nav_items": items, "user_roles": sorted(held)}
