"""One-time submission tokens for page forms that create things: a double submit creates one object.

The form renders a fresh token as a hidden field; `create_once` records it in the same transaction as
the object. A second POST of that rendered form (a double click, a resend) finds the token and is sent
to what the first POST created instead of creating again.
"""

import uuid

from django import forms
from django.contrib import messages
from django.db import IntegrityError, transaction
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from .models import SubmissionToken


class AlreadySubmitted(Exception):  # noqa: N818 - a control-flow signal, not an error
    """This rendered form was submitted before; `url` is what that submission created."""

    def __init__(self, url: str):
        super().__init__(url)
        self.url = url


class SubmissionTokenMixin:
    """Adds the hidden `submission_token`; after validation it is `form.submission_token`, not in cleaned_data."""

    submission_token = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["submission_token"] = forms.UUIDField(required=False, widget=forms.HiddenInput)
        if not self.is_bound:
            self.initial["submission_token"] = uuid.uuid4()

    def clean(self):
        data = super().clean()
        self.submission_token = data.pop("submission_token", None)
        return data


def create_once(form, user, create, url=None):
    """`create()` unless `form`'s token was used before: then AlreadySubmitted(url of the first result).

    A form posted without a token (an old page, a script) creates as before.
    """
    token = getattr(form, "submission_token", None)
    if token is None:
        return create()
    with transaction.atomic():
        try:
            with transaction.atomic():
                # A concurrent POST of the same token waits here on the unique index until the first commits.
                claim = SubmissionToken.objects.create(token=token, user=user)
        except IntegrityError:
            earlier = SubmissionToken.objects.filter(token=token, user=user).first()
            raise AlreadySubmitted(earlier.url if earlier and earlier.url else "/") from None
        created = create()
        claim.url = url(created) if url else created.get_absolute_url()
        claim.save(update_fields=["url"])
        return created


def already_submitted(request, done: AlreadySubmitted):
    """A second POST of a rendered form: show what the first one created, create nothing."""
    messages.info(request, _("This form was already submitted; here is what it created."))
    return redirect(done.url)


def ask_files_again(form) -> None:
    """On a form answered with errors: name, under each file field, the files chosen that were not kept.

    A browser never sends a file input back filled in. Pages with the outbox (static/js/outbox.js) put
    the photos back themselves and replace this text; without it the user is told what to choose again.
    """
    for name, field in form.fields.items():
        if not isinstance(field, forms.FileField):
            continue
        files = form.files
        chosen = files.getlist(form.add_prefix(name)) if hasattr(files, "getlist") else []
        uploads = [f for f in chosen if getattr(f, "name", "")]
        if uploads:
            text = _("Not saved yet: choose these photos again: %(names)s") % {
                "names": "、".join(upload.name for upload in uploads)
            }
            # The bound field copied the help text when validation built it.
            field.help_text = form[name].help_text = text
