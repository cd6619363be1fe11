"""The reads of projects: one function per way of reading them, for the pages, the API and the export.

Who may read which project, the archived rule, what a project row shows (its related rows and money
totals) and the list's order are decided here; each caller adds its filters (ProjectFilterSet, the same
for the page, the export and the API) and its pagination.
"""

from django.db.models import QuerySet

from townships.scope import get_visible_or_404, scoped

from .models import Project

# By township, then name; pk breaks ties so that pages never overlap.
LIST_ORDER = ("township__code", "name", "pk")


def project_list(*, user, archived: bool | None = False) -> QuerySet[Project]:
    """Projects in `user`'s scope with their related rows and money totals, in the list's order.

    archived=False: the projects in use (the lists); True: the archived ones; None: either (a
    project's own page and restore, so that an archived project can be found and restored).
    """
    projects = Project.objects.all() if archived is None else Project.objects.filter(archived=archived)
    return scoped(projects.with_related().with_money(), user).order_by(*LIST_ORDER)


def project_get(*, user, pk, archived: bool | None = None, queryset: QuerySet | None = None) -> Project:
    """One project `user` may read, as project_list shows it, or Http404 (out of scope = missing).

    queryset: the caller's additions for what it shows (the household roll-up of the project page).
    """
    projects = queryset if queryset is not None else Project.objects.all()
    if archived is not None:
        projects = projects.filter(archived=archived)
    return get_visible_or_404(projects.with_related().with_money(), user, pk=pk)
