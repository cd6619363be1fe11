"""The on-site scoring screen (现场打分), one screen per track; finishing a review; its scoring sheet."""

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from core.views import exception_text

from .. import selectors
from ..docx import docx_response, review_docx
from ..services.reviews import leaf_items, review_finish, review_items_score
from ..services.roles import can_review

# --- the on-site scoring screen (现场打分): one screen per track ---

GENERAL = "general"


def _tracks(items):
    tabs, seen = [], set()
    for item in items:
        key = item.track.code if item.track_id else GENERAL
        if key not in seen:
            seen.add(key)
            tabs.append((key, item.track.name if item.track_id else _("General items")))
    return tabs


class ReviewScoreView(LoginRequiredMixin, View):
    template_name = "acceptance/review_score.html"

    def _load(self, request, pk):
        review = selectors.review_get(user=request.user, pk=pk)
        if not can_review(request.user, review.application.township, review.level):
            raise PermissionDenied(_("Your role does not run this level of review."))
        items = leaf_items(review.application.scheme)
        return review, items

    def _context(self, request, review, items, track):
        tabs = _tracks(items)
        track = track if track in {k for k, _l in tabs} else (tabs[0][0] if tabs else GENERAL)
        shown = [i for i in items if (i.track.code if i.track_id else GENERAL) == track]
        scores = {s.item_id: s for s in review.scores.all()}
        keys = [k for k, _l in tabs]
        index = keys.index(track) if track in keys else 0
        return {
            "review": review,
            "application": review.application,
            "tabs": tabs,
            "track": track,
            "rows": [(item, scores.get(item.pk)) for item in shown],
            "scored_count": len(scores),
            "item_count": len(items),
            "next_track": keys[index + 1] if index + 1 < len(keys) else "",
        }

    def get(self, request, pk):
        review, items = self._load(request, pk)
        return render(
            request, self.template_name, self._context(request, review, items, request.GET.get("track", ""))
        )

    def post(self, request, pk):
        review, items = self._load(request, pk)
        track = request.POST.get("track", "")
        context = self._context(request, review, items, track)
        scores, errors = [], []
        for item, _score in context["rows"]:
            prefix = f"i{item.pk}"
            raw_points = request.POST.get(f"{prefix}-points", "").strip()
            try:
                deductions = int(request.POST.get(f"{prefix}-deductions") or 0)
                points = Decimal(raw_points) if raw_points else None
                if deductions < 0 or (points is not None and (points < 0 or not points.is_finite())):
                    raise ValueError
            except (ValueError, InvalidOperation):
                errors.append(_("%(code)s: enter a number ≥ 0.") % {"code": item.code})
                continue
            scores.append(
                {
                    "item": item.pk,
                    "deductions": deductions,
                    "points": points,
                    "vetoed": request.POST.get(f"{prefix}-vetoed") == "on",
                    "note": request.POST.get(f"{prefix}-note", "")[:5000],
                    "photos": request.FILES.getlist(f"{prefix}-photos"),
                }
            )
        if not errors:
            try:
                review_items_score(review_id=review.pk, by=request.user, scores=scores)
            except ValidationError as exc:
                errors = exc.messages
        if errors:
            context["errors"] = errors
            return render(request, self.template_name, context, status=400)
        messages.success(request, _("Scores saved."))
        following = context["next_track"] if "next" in request.POST else context["track"]
        return redirect(f"{review.get_absolute_url()}?track={following}")


class ReviewFinishView(LoginRequiredMixin, View):
    def post(self, request, pk):
        review = selectors.review_get(user=request.user, pk=pk)
        if not can_review(request.user, review.application.township, review.level):
            raise PermissionDenied(_("Your role does not run this level of review."))
        try:
            review = review_finish(review_id=review.pk, by=request.user)
        except ValidationError as exc:
            messages.error(request, exception_text(exc))
            return redirect(review.get_absolute_url())
        messages.success(
            request,
            _("Review scored: %(total)s, %(result)s.")
            % {"total": review.total, "result": review.get_result_display()},
        )
        return redirect(review.application)


def sheet_rows(review):
    scores = {s.item_id: s for s in review.scores.all()}
    items = review.application.scheme.items.select_related("track", "parent").order_by("order", "pk")
    return [(item, scores.get(item.pk)) for item in items]


class ReviewPrintView(LoginRequiredMixin, View):
    def get(self, request, pk):
        review = selectors.review_get(user=request.user, pk=pk)
        return render(request, "acceptance/review_print.html", {"review": review, "rows": sheet_rows(review)})


class ReviewDocxView(LoginRequiredMixin, View):
    def get(self, request, pk):
        review = selectors.review_get(user=request.user, pk=pk)
        name = f"{review.application.township.name}{review.get_level_display()}计分表.docx"
        return docx_response(review_docx(review, sheet_rows(review)), name)
