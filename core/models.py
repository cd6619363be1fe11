"""Generic records of the bottom app: nothing here knows about townships or any other domain."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SubmissionToken(models.Model):
    """A page form's one-time token, recorded with what its first POST created (issue 15 item 9).

    The unique token makes a second POST of the same rendered form wait for the first and then find
    its row, so a double submit creates one object (core.submission.create_once).
    """

    token = models.UUIDField(_("token"), unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="+"
    )
    url = models.CharField(_("created object"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("submission token")
        verbose_name_plural = _("submission tokens")

    def __str__(self) -> str:
        return str(self.token)
