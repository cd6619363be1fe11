"""The one way a form on an object's page calls a service, and the one way a form page does."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views import View
from django.views.generic import FormView

from .submission import AlreadySubmitted, already_submitted, ask_files_again


def apply_errors(form, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form (field errors where the field exists)."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def exception_text(exc: ValidationError) -> str:
    """A service's ValidationError as one line, for a message at the top of the page."""
    return "；".join(exc.messages)


def error_text(form) -> str:
    """A form's errors as one line, each field's label first (for a form the page does not show)."""
    return "；".join(
        f"{form.fields[name].label or '' if name in form.fields else ''} {' '.join(errors)}".strip()
        for name, errors in form.errors.items()
    )


class ActionView(LoginRequiredMixin, View):
    """A POST from a form on an object's page to one service.

    Scope first (get_object: 404), then the service's guard (check: 403), and only then the form: a role
    that may not act is told so, not shown field errors. Success redirects to success_url() with
    success_message. Invalid input or a service ValidationError answers the object's page again with 400
    and nothing changed: the errors on the bound form where the page shows it (form_key in the page's
    context), otherwise as an error message at the top, so what was typed is kept where it can be.
    """

    http_method_names = ["post"]
    template_name = ""
    form_class = None
    form_key = ""
    guard = None  # the service's guard, e.g. services.ensure_can_verify(user, finding)
    success_message = ""

    def get_object(self):
        raise NotImplementedError

    def page_context(self, obj) -> dict:
        """The object's page as its own view renders it."""
        raise NotImplementedError

    def call(self, request, obj, data):
        raise NotImplementedError

    def check(self, request, obj):
        if self.guard is not None:
            type(self).guard(request.user, obj)

    def success_url(self, obj):
        return obj.get_absolute_url()

    def post(self, request, *args, **kwargs):
        obj = self.get_object()
        self.check(request, obj)
        form = self.form_class(request.POST, request.FILES) if self.form_class else None
        if form is None or form.is_valid():
            try:
                self.call(request, obj, form.cleaned_data if form is not None else {})
            except ValidationError as exc:
                if form is None:
                    messages.error(request, exception_text(exc))
                else:
                    apply_errors(form, exc)
            else:
                messages.success(request, self.success_message)
                return redirect(self.success_url(obj))
        return self.invalid(obj, form)

    def invalid(self, obj, form):
        context = self.page_context(obj)
        if form is not None:
            ask_files_again(form)
            if self.form_key and self.form_key in context:
                context[self.form_key] = form
            else:
                messages.error(self.request, error_text(form))
        return render(self.request, self.template_name, context, status=400)


class ServiceFormView(LoginRequiredMixin, FormView):
    """A form page that one service saves: `save(form)` calls it and returns where to go next (an object
    or a URL), with success_message. A service ValidationError answers the form again (form_invalid)
    with the errors shown by `show_errors`; a form sent twice shows what the first one created.
    """

    success_message = ""

    def save(self, form):
        raise NotImplementedError

    def show_errors(self, form, exc: ValidationError) -> None:
        apply_errors(form, exc)

    def form_valid(self, form):
        try:
            target = self.save(form)
        except AlreadySubmitted as done:
            return already_submitted(self.request, done)
        except ValidationError as exc:
            self.show_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, self.success_message)
        return redirect(target)
