from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from townships.references import city_fk, county_fk

from .choices import (
    ChannelKind,
    ChannelStatus,
    Delivery,
    DeliveryStatus,
    EmailStatus,
    ExportFormat,
    ExportStatus,
    MinSeverity,
    NotificationKind,
    NotificationLevel,
)
from .querysets import NotificationQuerySet


class Notification(models.Model):
    """One notice to one person about one object at one rung of the ladder (DESIGN.md §3).

    Unique per (object, level, recipient): a rerun, a retry or two workers at once insert nothing
    twice, so nothing is sent twice.
    """

    # No single-column indexes on the two foreign keys: notification_inbox_idx starts with recipient
    # and the unique constraint with content_type, and every index costs the scan's bulk insert.
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notifications",
        db_index=False,
    )
    kind = models.CharField(_("kind"), max_length=20, choices=NotificationKind.choices)
    level = models.CharField(_("level"), max_length=20, choices=NotificationLevel.choices)
    # PROTECT is Django's (content types are rows migrate creates, and remove_stale_contenttypes goes
    # through the ORM); no database constraint: its per-row check at commit is a large share of the
    # scan's commit time, to guard a table of a few dozen rows, and object_id has none anyway (generic).
    content_type = models.ForeignKey(
        ContentType,
        verbose_name=_("object type"),
        on_delete=models.PROTECT,
        db_index=False,
        db_constraint=False,
    )
    object_id = models.PositiveBigIntegerField(_("object id"))
    obj = GenericForeignKey("content_type", "object_id")
    text = models.TextField(_("text"))
    link = models.CharField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    email_status = models.CharField(
        _("e-mail status"), max_length=10, choices=EmailStatus.choices, default=EmailStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    # Set by the insert that created the row; rows that already existed keep theirs, so where an
    # insert cannot return ids (bulk_create with ignore_conflicts off PostgreSQL) the new rows are
    # selected by batch. Not indexed: PostgreSQL takes them from RETURNING.
    batch = models.UUIDField(_("batch"), null=True, blank=True, editable=False)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        constraints = [
            # Level before object: the scan's "no notice at this rung yet" probes (type, level, id)
            # and walks a rung's notices in id order along this index.
            models.UniqueConstraint(
                fields=["content_type", "level", "object_id", "recipient"],
                name="notification_unique_object_level_recipient",
            ),
            models.CheckConstraint(
                condition=~Q(email_status=EmailStatus.SENT) | Q(sent_at__isnull=False),
                name="notification_sent_has_sent_at",
            ),
        ]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_inbox_idx"),
            # Mail still to send or that failed (the re-queue, the admin's failed filter); the bulk of
            # the table, skipped and sent, stays out of it.
            models.Index(
                fields=["email_status", "created_at"],
                name="notification_email_open_idx",
                condition=Q(
                    email_status__in=[
                        EmailStatus.PENDING,
                        EmailStatus.SENDING,
                        EmailStatus.FAILED,
                        EmailStatus.DAILY,
                    ]
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_level_display()} → {self.recipient_id}: {self.text[:40]}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class NotificationPreference(models.Model):
    """A user's choice of delivery beside the inbox; no row means the default (an e-mail per notice)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="notification_preference",
    )
    delivery = models.CharField(
        _("delivery"), max_length=10, choices=Delivery.choices, default=Delivery.EMAIL
    )
    # For an @ in a DingTalk group message; optional, shown to nobody else.
    mobile = models.CharField(
        _("mobile number"),
        max_length=20,
        blank=True,
        validators=[RegexValidator(r"^1\d{10}$", _("Eleven digits starting with 1."))],
        help_text=_("Used to @ you in DingTalk group messages."),
    )

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return str(self.user)

    @property
    def email_enabled(self) -> bool:
        return self.delivery != Delivery.INBOX


class Digest(models.Model):
    """One county's daily digest: the object the digest notifications point at."""

    county = county_fk()
    day = models.DateField(_("day"))
    item_count = models.PositiveIntegerField(_("items"), default=0)
    body = models.TextField(_("body"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("daily digest")
        verbose_name_plural = _("daily digests")
        ordering = ["-day", "county"]
        constraints = [models.UniqueConstraint(fields=["county", "day"], name="digest_unique_county_day")]

    def __str__(self) -> str:
        return f"{self.county} {self.day}"


class ScanRun(models.Model):
    """One overdue scan as of one day, split into chunks that workers claim (issue 15): a worker
    killed mid-scan leaves its chunks in the database, where a restarted worker finds them."""

    day = models.DateField(_("day"))
    chunk_size = models.PositiveIntegerField(_("chunk size"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    # The closing steps (the apps' follow-ups, the digests) run once, after the last chunk, under a
    # claim like a chunk's.
    finish_claimed_at = models.DateTimeField(_("finish claimed at"), null=True, blank=True)
    finish_claimed_by = models.CharField(_("finish claimed by"), max_length=200, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    result = models.JSONField(_("result"), default=dict, blank=True)

    class Meta:
        verbose_name = _("scan run")
        verbose_name_plural = _("scan runs")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(
                fields=["created_at"], name="scanrun_open_idx", condition=Q(finished_at__isnull=True)
            )
        ]

    def __str__(self) -> str:
        return f"{self.day} #{self.pk}"


class ScanChunk(models.Model):
    """The items of one source with an id in (after, upto] (upto empty: to the end), every rung."""

    run = models.ForeignKey(
        ScanRun, verbose_name=_("scan run"), on_delete=models.CASCADE, related_name="chunks"
    )
    source = models.CharField(_("source"), max_length=50)  # the name the wiring gives an OverdueSource
    after = models.PositiveBigIntegerField(_("after id"))
    upto = models.PositiveBigIntegerField(_("up to id"), null=True, blank=True)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    claimed_by = models.CharField(_("claimed by"), max_length=200, blank=True)  # the worker's node name
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    created = models.JSONField(_("notices created"), default=dict, blank=True)  # {level: count}

    class Meta:
        verbose_name = _("scan chunk")
        verbose_name_plural = _("scan chunks")
        ordering = ["run", "source", "after"]
        indexes = [models.Index(fields=["run"], name="scanchunk_open_idx", condition=Q(done_at__isnull=True))]

    def __str__(self) -> str:
        return f"{self.run_id} {self.source} ({self.after}, {self.upto or '…'}]"


class Channel(models.Model):
    """A DingTalk or WeCom group robot of a county or of the whole city (issue 18).

    The webhook address (it carries the robot's access token or key) and the signing secret are
    stored encrypted (notifications.crypto) and never shown back: pages, the admin and logs show
    `webhook_hint` only.
    """

    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=10, choices=ChannelKind.choices)
    city = city_fk("+")
    county = county_fk(
        "+", optional=True, help_text=_("Empty: the city's group, which receives every county's messages.")
    )
    webhook_encrypted = models.TextField(_("webhook (encrypted)"), editable=False)
    webhook_hint = models.CharField(_("webhook"), max_length=200, editable=False)
    secret_encrypted = models.TextField(_("secret (encrypted)"), blank=True, editable=False)
    events = models.JSONField(
        _("events"), default=list, blank=True, help_text=_("Empty: every event this channel may carry.")
    )
    min_severity = models.CharField(
        _("severity"), max_length=10, choices=MinSeverity.choices, default=MinSeverity.ANY, blank=True
    )
    mention = models.BooleanField(_("@ the people concerned by mobile number"), default=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ChannelStatus.choices, default=ChannelStatus.ACTIVE
    )
    status_note = models.CharField(_("status note"), max_length=300, blank=True)
    failed_at = models.DateTimeField(_("failed at"), null=True, blank=True)
    # Times of the posts of the last minute (the robots take 20 a minute), kept under the row's lock.
    recent_posts = models.JSONField(_("recent posts"), default=list, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("group channel")
        verbose_name_plural = _("group channels")
        ordering = ["city", "county", "name", "pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def has_secret(self) -> bool:
        return bool(self.secret_encrypted)


class ChannelBatch(models.Model):
    """One message for the groups: a county's digest of a scan, or one workflow event.

    `key` names what it is about (digest:<county>:<day>, event:<type>:<id>:<level>), so that a
    rerun or a second worker builds no second batch, and `ChannelDelivery` no second post.
    """

    key = models.CharField(_("key"), max_length=200, unique=True)
    city = city_fk("+")
    county = county_fk("+", optional=True)
    level = models.CharField(_("event"), max_length=20, choices=NotificationLevel.choices)
    severity = models.CharField(_("severity"), max_length=10, blank=True)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("body"))  # markdown, the item text itself, links as plain text
    mobiles = models.JSONField(_("mobiles to @"), default=list, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("group message")
        verbose_name_plural = _("group messages")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title


class ChannelDelivery(models.Model):
    """One batch to one channel: the ledger that keeps a retry or a second worker from posting twice."""

    batch = models.ForeignKey(
        ChannelBatch, verbose_name=_("message"), on_delete=models.CASCADE, related_name="deliveries"
    )
    channel = models.ForeignKey(
        Channel, verbose_name=_("channel"), on_delete=models.CASCADE, related_name="deliveries"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    parts_sent = models.PositiveSmallIntegerField(_("parts posted"), default=0)
    not_before = models.DateTimeField(_("not before"), default=timezone.now)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    claimed_by = models.CharField(_("claimed by"), max_length=200, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("group delivery")
        verbose_name_plural = _("group deliveries")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "channel"], name="channeldelivery_unique_batch_channel"),
            models.CheckConstraint(
                condition=~Q(status=DeliveryStatus.SENT) | Q(sent_at__isnull=False),
                name="channeldelivery_sent_has_sent_at",
            ),
        ]
        indexes = [
            models.Index(
                fields=["status", "not_before"],
                name="channeldelivery_open_idx",
                condition=Q(status__in=[DeliveryStatus.PENDING, DeliveryStatus.SENDING]),
            )
        ]

    def __str__(self) -> str:
        return f"{self.batch_id} → {self.channel_id}"


class ExportJob(models.Model):
    """One large export a worker writes to storage (issue 20): the export's registered name and the
    query string of the list it was asked from, so the worker rebuilds the same rows for the same
    user. Claimed like a scan chunk; a job whose worker died is run again from the start."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="export_jobs"
    )
    name = models.CharField(_("export"), max_length=100)
    title = models.CharField(_("title"), max_length=200)
    params = models.TextField(_("filters"), blank=True)
    format = models.CharField(_("format"), max_length=4, choices=ExportFormat.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=ExportStatus.choices, default=ExportStatus.PENDING
    )
    total = models.PositiveIntegerField(_("rows"), default=0)
    rows_done = models.PositiveIntegerField(_("rows done"), default=0)
    file = models.CharField(_("file"), max_length=300, blank=True)  # a name in default_storage
    filename = models.CharField(_("file name"), max_length=200, blank=True)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    claimed_by = models.CharField(_("claimed by"), max_length=200, blank=True)
    # Bumped with every progress step: a running job whose beat stops is presumed dead.
    beat_at = models.DateTimeField(_("last progress at"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("export job")
        verbose_name_plural = _("export jobs")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["user", "-created_at"], name="exportjob_user_idx"),
            models.Index(
                fields=["status"],
                name="exportjob_open_idx",
                condition=Q(status__in=[ExportStatus.PENDING, ExportStatus.RUNNING]),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} #{self.pk}"

    @property
    def percent(self) -> int:
        if self.status == ExportStatus.DONE:
            return 100
        return min(99, self.rows_done * 100 // self.total) if self.total else 0
