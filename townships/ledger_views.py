"""The ledger imports: an Excel sheet is checked whole, shown, and saved only once confirmed."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from core.xlsx import template_response

from . import ledgers, services
from .forms import LedgerUploadForm
from .scope import has_role, is_read_only

LEDGERS = {
    "targets": (ledgers.TARGET_COLUMNS, ledgers.targets_ledger_validate, ledgers.targets_import),
    "progress": (ledgers.PROGRESS_COLUMNS, ledgers.progress_ledger_validate, ledgers.progress_import),
    "locations": (ledgers.LOCATION_COLUMNS, ledgers.locations_ledger_validate, ledgers.locations_import),
}
LEDGER_DONE = {"progress": "townships:progressreport_list"}


class LedgerPreviewView(LoginRequiredMixin, TemplateView):
    """Upload → preview (every invalid row listed by line, nothing saved) → confirm saves all rows.

    The preview page carries the read lines back signed, so the confirm step checks them again and
    nothing waits on the server. A subclass says which columns, how to check and save, where to go.
    """

    salt = "townships.ledger"
    columns: tuple = ()
    # What a page that lists problems answers (a scoring sheet's import says 400)
    error_status = 200

    def get_columns(self) -> tuple:
        return self.columns

    def validate(self, lines) -> ledgers.Ledger:
        raise NotImplementedError

    def apply(self, lines) -> int:
        raise NotImplementedError

    def done_url(self):
        raise NotImplementedError

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", LedgerUploadForm())
        context["columns"] = self.get_columns()
        return context

    def refused(self, **context):
        return self.render_to_response(self.get_context_data(**context), status=self.error_status)

    def post(self, request, *args, **kwargs):
        if "payload" in request.POST:
            try:
                lines = signing.loads(request.POST["payload"], salt=self.salt, max_age=3600)
            except signing.BadSignature:
                messages.error(request, _("The preview has expired; upload the file again."))
                return redirect(request.path)
            try:
                count = self.apply(lines)
            except ValidationError as exc:
                return self.refused(errors=exc.messages)
            messages.success(request, _("%(n)s rows imported.") % {"n": count})
            return redirect(self.done_url())
        form = LedgerUploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.refused(form=form)
        lines, errors = ledgers.ledger_read_xlsx(form.cleaned_data["file"], self.get_columns())
        if errors:
            return self.refused(form=form, errors=errors)
        ledger = self.validate(lines)
        if ledger.errors:
            return self.refused(form=form, errors=ledger.errors, valid_count=len(ledger.rows))
        return self.render_to_response(
            self.get_context_data(
                form=form,
                preview=ledger.rows,
                payload=signing.dumps(
                    [[line, values] for line, values in lines], salt=self.salt, compress=True
                ),
            )
        )


class LedgerImportView(LedgerPreviewView):
    """A township ledger (targets, progress, locations) or another app's, such as the cleaners'."""

    template_name = "townships/ledger_import.html"
    kind = "targets"
    # Another app's ledger: (columns, validate, apply), where to go when saved, the preview's columns
    ledger = None
    done_url_name = ""
    preview_columns: tuple = ()
    # The roles that may import this ledger (checked before the form is shown); None: by kind
    writers: tuple | None = None

    def get_ledger(self):
        return self.ledger or LEDGERS[self.kind]

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and is_read_only(request.user):
            raise PermissionDenied(_("Your role may read this data but not change it."))
        writers = self.writers or (
            services.PROGRESS_WRITERS if self.kind == "progress" else services.TARGET_WRITERS
        )
        if request.user.is_authenticated and not has_role(request.user, writers):
            raise PermissionDenied(_("Your role may not report progress for this township."))
        return super().dispatch(request, *args, **kwargs)

    def get_columns(self) -> tuple:
        return self.get_ledger()[0]

    def validate(self, lines) -> ledgers.Ledger:
        return self.get_ledger()[1](lines=lines, by=self.request.user)

    def apply(self, lines) -> int:
        return self.get_ledger()[2](lines=lines, by=self.request.user)

    def done_url(self):
        return self.done_url_name or LEDGER_DONE.get(self.kind, "townships:township_list")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["kind"] = self.kind
        context["preview_columns"] = self.preview_columns
        context["template_url"] = f"{self.request.path}template/"
        return context


class LedgerTemplateView(LoginRequiredMixin, TemplateView):
    """An empty ledger with the expected column headers."""

    kind = "targets"
    ledger = None

    def get(self, request, *args, **kwargs):
        columns = (self.ledger or LEDGERS[self.kind])[0]
        return template_response(f"{self.kind}-template.xlsx", columns)
