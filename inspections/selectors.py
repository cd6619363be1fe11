"""The reads of findings: one function per way of reading them, for the pages, the API and the export.

Each caller adds only what its own rows show (joins, annotations, its pagination); who may read which
finding, the list's filters, its order and the archived rule are decided here.
"""

from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from .filtersets import FindingFilterSet
from .models import Finding

# Soonest deadline first; pk breaks ties so that pages never overlap.
LIST_ORDER = ("deadline", "pk")


def _findings(user, archived: bool, within: QuerySet | None) -> QuerySet[Finding]:
    base = within if within is not None else Finding.objects.all()
    base = base.filter(archived=True) if archived else base.listed()
    return base.visible_to(user).order_by(*LIST_ORDER)


def finding_filterset(
    *,
    user,
    filters: Mapping | None,
    archived: bool = False,
    within: QuerySet | None = None,
    only_given: bool = False,
) -> FindingFilterSet:
    """The list's FindingFilterSet bound to `filters`, over finding_list's findings.

    For a page that shows the filter form with its errors; everything else calls finding_list.
    only_given: validate and build only the filters `filters` names (the API, whose form is never shown).
    """
    return FindingFilterSet(
        filters, queryset=_findings(user, archived, within), user=user, only_given=only_given
    )


def finding_list(
    *,
    user,
    filters: Mapping | None = None,
    archived: bool = False,
    within: QuerySet | None = None,
    only_given: bool = False,
) -> QuerySet[Finding]:
    """The rectification list as `user` may read it, filtered, soonest deadline first.

    archived=False: the items on the list (not archived, not in a draft inspection); True: the
    archived items instead. within: a part of the list a page is about (the secretary items).
    Invalid filters raise ValidationError with the FilterSet's field errors.
    """
    filterset = finding_filterset(
        user=user, filters=filters, archived=archived, within=within, only_given=only_given
    )
    if filterset.is_bound and not filterset.is_valid():
        raise ValidationError(filterset.errors)
    return filterset.qs


def finding_get(*, user, pk, archived: bool | None = None, queryset: QuerySet | None = None) -> Finding:
    """One finding `user` may read (its page, its API detail and actions), or Http404.

    Unlike the list, an item of a draft inspection is readable by whoever may see the draft.
    archived: None for either (the page, which offers restoring), False or True for that state only.
    queryset: the caller's joins and annotations for what it shows.
    """
    qs = queryset if queryset is not None else Finding.objects.all()
    if archived is not None:
        qs = qs.filter(archived=archived)
    try:
        return get_object_or_404(qs.visible_to(user), pk=pk)
    except (TypeError, ValueError, ValidationError) as exc:
        # a pk that is not a number is a missing finding too, as in DRF's get_object_or_404
        raise Http404 from exc


# --- specialist guidance visits (专项指导) ---


def guidance_visit_filterset(*, user, filters: Mapping | None, only_given: bool = False):
    from .filtersets import GuidanceVisitFilterSet
    from .models import GuidanceVisit

    qs = GuidanceVisit.objects.visible_to(user).order_by("-visited_on", "-pk")
    return GuidanceVisitFilterSet(filters, queryset=qs, user=user, only_given=only_given)


def guidance_visit_list(*, user, filters: Mapping | None = None, only_given: bool = False) -> QuerySet:
    """The visits `user` may read (their townships), filtered, newest first."""
    filterset = guidance_visit_filterset(user=user, filters=filters, only_given=only_given)
    if filterset.is_bound and not filterset.is_valid():
        raise ValidationError(filterset.errors)
    return filterset.qs


def guidance_visit_get(*, user, pk, queryset: QuerySet | None = None):
    from .models import GuidanceVisit

    qs = queryset if queryset is not None else GuidanceVisit.objects.all()
    try:
        return get_object_or_404(qs.visible_to(user), pk=pk)
    except (TypeError, ValueError, ValidationError) as exc:
        raise Http404 from exc


def with_review_events(queryset: QuerySet[Finding]) -> QuerySet[Finding]:
    """Prefetch the submissions and send-backs that review_rounds() splits the after photos by."""
    from django.db.models import Prefetch

    from .choices import FindingEventKind
    from .models import FindingEvent

    events = FindingEvent.objects.filter(
        kind__in=(FindingEventKind.SUBMITTED, FindingEventKind.REJECTED)
    ).order_by("at", "pk")
    return queryset.prefetch_related(Prefetch("events", queryset=events, to_attr="review_events"))


def review_rounds(finding: Finding) -> dict:
    """The fix under review and the rounds before it, as a verifier reads them.

    A round ends when the fix is sent back: an after photo belongs to the round of the send-backs
    before its upload. Returns {"note", "submitted_at", "after", "earlier": [{"number", "note",
    "reason", "rejected_at", "after"}]} with the earlier rounds newest first.
    """
    from .choices import FindingEventKind

    events = getattr(finding, "review_events", None)
    if events is None:
        events = list(with_review_events(Finding.objects.filter(pk=finding.pk)).get().review_events)
    rejections = [e for e in events if e.kind == FindingEventKind.REJECTED]
    rounds = [{"note": "", "submitted_at": None, "after": [], "reason": "", "rejected_at": None}]
    for event in events:
        current = rounds[-1]
        if event.kind == FindingEventKind.SUBMITTED:
            current["note"], current["submitted_at"] = event.note, event.at
        else:
            current["reason"], current["rejected_at"] = event.note, event.at
            rounds.append({"note": "", "submitted_at": None, "after": [], "reason": "", "rejected_at": None})
    for photo in finding.after_photos:
        number = sum(1 for r in rejections if r.at <= photo.uploaded_at)
        rounds[min(number, len(rounds) - 1)]["after"].append(photo)
    for number, item in enumerate(rounds, start=1):
        item["number"] = number
    latest = rounds[-1]
    return {
        "note": latest["note"],
        "submitted_at": latest["submitted_at"],
        "after": latest["after"],
        "number": latest["number"],
        "earlier": list(reversed(rounds[:-1])),
    }
