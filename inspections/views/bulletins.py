"""Pages for inspection bulletins (督查通报): compose, publish, print, .docx."""

from itertools import groupby

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.timezone import localdate
from django.utils.translation import gettext as _
from django.views import View
from django_filters.views import FilterView

from core.submission import AlreadySubmitted, already_submitted, create_once
from core.views import apply_errors
from townships.models import City
from townships.scope import visible_counties

from ..docx import bulletin_docx
from ..filtersets import (
    BulletinFilterSet,
)
from ..forms import (
    BulletinForm,
    BulletinPublishForm,
)
from ..models import (
    Finding,
)
from ..permissions import (
    can_publish,
)
from ..querysets import bulletins_visible_to
from ..services.bulletins import bulletin_create, bulletin_publish


class BulletinListView(LoginRequiredMixin, FilterView):
    filterset_class = BulletinFilterSet
    template_name = "inspections/bulletin_list.html"
    context_object_name = "bulletins"
    paginate_by = 50

    def get_queryset(self):
        return (
            bulletins_visible_to(self.request.user)
            .select_related("round")
            .annotate(finding_count=Count("findings"))
            .order_by("-issued_on", "-pk")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_publish"] = can_publish(self.request.user)
        return context


class BulletinCreateView(LoginRequiredMixin, View):
    template_name = "inspections/bulletin_form.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not can_publish(request.user):
            raise PermissionDenied(_("Only the city office composes bulletins."))
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        initial = {}
        if request.GET.get("round"):
            initial["round"] = request.GET["round"]
        return render(request, self.template_name, {"form": BulletinForm(user=request.user, initial=initial)})

    def post(self, request):
        form = BulletinForm(request.POST, user=request.user)
        city = City.objects.filter(counties__in=visible_counties(request.user)).first()
        if form.is_valid():
            data = form.cleaned_data
            try:
                bulletin = create_once(
                    form,
                    request.user,
                    lambda: bulletin_create(
                        by=request.user,
                        city=city,
                        round=data["round"],
                        number=data["number"],
                        title=data["title"],
                        body=data["body"],
                        issued_on=data["issued_on"],
                        townships=data["townships"],
                    ),
                )
            except AlreadySubmitted as done:
                return already_submitted(request, done)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                if data["issuing_office"] and data["issuing_office"] != bulletin.issuing_office:
                    bulletin.issuing_office = data["issuing_office"]
                    bulletin.save(update_fields=["issuing_office"])
                messages.success(request, _("Draft bulletin saved."))
                return redirect(bulletin)
        return render(request, self.template_name, {"form": form}, status=400)


def bulletin_rows(bulletin):
    """The attachment's rows, grouped by township (county order, then township code)."""
    findings = (
        Finding.objects.filter(bulletins=bulletin)
        .select_related("township", "township__county", "track", "assignee")
        .order_by("township__county__code", "township__code", "deadline", "pk")
    )
    groups = []
    number = 0
    for township, items in groupby(findings, key=lambda f: f.township):
        rows = []
        for finding in items:
            number += 1
            rows.append((number, finding))
        groups.append((township, rows))
    return groups


def _bulletin_for(request, pk):
    return get_object_or_404(bulletins_visible_to(request.user).select_related("round", "city"), pk=pk)


class BulletinDetailView(LoginRequiredMixin, View):
    def get(self, request, pk, form=None):
        bulletin = _bulletin_for(request, pk)
        context = {
            "bulletin": bulletin,
            "groups": bulletin_rows(bulletin),
            "can_publish": can_publish(request.user) and bulletin.status == "draft",
            "publish_form": form
            or BulletinPublishForm(
                initial={"number": bulletin.number, "issued_on": bulletin.issued_on or localdate()}
            ),
        }
        return render(request, "inspections/bulletin_detail.html", context, status=400 if form else 200)


class BulletinPublishView(LoginRequiredMixin, View):
    def post(self, request, pk):
        bulletin = _bulletin_for(request, pk)
        form = BulletinPublishForm(request.POST)
        if form.is_valid():
            try:
                bulletin_publish(bulletin_id=bulletin.pk, by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("The bulletin is published."))
                return redirect(bulletin)
        return BulletinDetailView().get(request, pk, form=form)


class BulletinPrintView(LoginRequiredMixin, View):
    """The bulletin as an A4 official document (GB/T 9704 layout), ready to print."""

    def get(self, request, pk):
        bulletin = _bulletin_for(request, pk)
        return render(
            request,
            "inspections/bulletin_print.html",
            {"bulletin": bulletin, "groups": bulletin_rows(bulletin)},
        )


class BulletinDocxView(LoginRequiredMixin, View):
    def get(self, request, pk):
        bulletin = _bulletin_for(request, pk)
        return docx_response(bulletin)


def docx_response(bulletin) -> HttpResponse:
    from urllib.parse import quote

    content = bulletin_docx(bulletin, bulletin_rows(bulletin))
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    filename = f"{bulletin.number or bulletin.title}.docx"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


# --- yellow cards (issue 4) ---
