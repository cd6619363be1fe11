"""Generic records of the bottom app: nothing here knows about townships or any other domain."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SubmissionToken(models.Model):
    """A one-time key for a write, recorded with its first answer (issue 15 item 9, issue 19).

    Two ways in, one table. A page form's hidden token: the unique token makes a second POST of the same
    rendered form wait for the first and then find its row, so a double submit creates one object
    (core.submission.create_once). An `Idempotency-Key` header on any POST (the offline outbox, REST
    clients): core.idempotency keeps the first answer for IDEMPOTENCY_TTL and replays it.
    """

    class State(models.TextChoices):
        RUNNING = "running", _("running")
        DONE = "done", _("done")

    token = models.UUIDField(_("token"), unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="+"
    )
    url = models.CharField(_("created object"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # Only for Idempotency-Key: what was asked (method, path, body digest) and what was answered.
    fingerprint = models.CharField(_("request fingerprint"), max_length=64, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.DONE)
    status_code = models.PositiveSmallIntegerField(_("answer status"), null=True, blank=True)
    response_headers = models.JSONField(_("answer headers"), default=dict, blank=True)
    response_body = models.BinaryField(_("answer body"), blank=True, default=b"")

    class Meta:
        verbose_name = _("submission token")
        verbose_name_plural = _("submission tokens")
        indexes = [models.Index(fields=["created_at"], name="submission_token_created")]

    def __str__(self) -> str:
        return str(self.token)
