"""Exactly-once POSTs: an `Idempotency-Key` header (a client UUID) makes a retry replay the first answer.

The offline outbox resends a filing until it hears back, and a dropped connection cannot tell "never
arrived" from "done, the answer was lost". So every POST may carry `Idempotency-Key: <uuid>`:

- first time: the key is claimed (committed at once, so a parallel request sees it), the view runs, and an
  answer below 400 is stored with the key for IDEMPOTENCY_TTL; an error answer frees the key again, so
  the same key can be sent once the cause is fixed;
- same key, same request: the stored answer is replayed (`Idempotent-Replayed: true`), nothing runs;
- same key, a different request (method, path or body): 422;
- same key while the first request is still running: 409 (the client retries later).

Keys belong to the user who sent them. The request is compared by a digest of its method, path and body;
for forms the fields and each file's SHA-256 (a browser writes a new multipart boundary on every send),
without the CSRF token and the page's own one-time token, which change between page loads.
"""

import datetime
import hashlib
import json
import uuid

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFilesSent
from django.db import IntegrityError, transaction
from django.http import HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import SubmissionToken

HEADER = "Idempotency-Key"
META_KEY = "HTTP_IDEMPOTENCY_KEY"
FORM_TYPES = ("multipart/form-data", "application/x-www-form-urlencoded")
# Fields that differ between two sends of the same filing and say nothing about what is filed.
NOISE_FIELDS = {"csrfmiddlewaretoken", "submission_token"}
KEPT_HEADERS = ("Content-Type", "Location")


def ttl() -> datetime.timedelta:
    return datetime.timedelta(hours=getattr(settings, "IDEMPOTENCY_TTL_HOURS", 72))


def stale_after() -> datetime.timedelta:
    """A key claimed this long ago and still running belongs to a request that died: free it."""
    return datetime.timedelta(seconds=getattr(settings, "IDEMPOTENCY_STALE_SECONDS", 600))


def _error(request, status: int, message: str) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message}, status=status)
    return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")


def fingerprint(request) -> str:
    digest = hashlib.sha256()
    digest.update(f"{request.method} {request.path}\n".encode())
    content_type = (request.content_type or "").lower()
    if content_type in FORM_TYPES:
        for name in sorted(request.POST):
            if name in NOISE_FIELDS:
                continue
            for value in request.POST.getlist(name):
                digest.update(json.dumps([name, value]).encode())
        for name in sorted(request.FILES):
            for upload in request.FILES.getlist(name):
                content = hashlib.sha256()
                for chunk in upload.chunks():
                    content.update(chunk)
                upload.seek(0)
                digest.update(json.dumps([name, upload.name, content.hexdigest()]).encode())
    else:
        digest.update(content_type.encode() + b"\n" + request.body)
    return digest.hexdigest()


def _user(request):
    """The session user, else the one an API credential names (DRF authenticates only in the view)."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return user
    if not request.path.startswith("/api/") or "HTTP_AUTHORIZATION" not in request.META:
        return None
    from rest_framework.authentication import SessionAuthentication
    from rest_framework.exceptions import APIException
    from rest_framework.settings import api_settings

    for authenticator_class in api_settings.DEFAULT_AUTHENTICATION_CLASSES:
        if issubclass(authenticator_class, SessionAuthentication):
            continue
        try:
            found = authenticator_class().authenticate(request)
        except APIException:
            return None  # the view answers 401 for a bad credential
        if found:
            return found[0]
    return None


def _replay(row: SubmissionToken) -> HttpResponse:
    response = HttpResponse(bytes(row.response_body), status=row.status_code)
    for name, value in (row.response_headers or {}).items():
        response[name] = value
    response["Idempotent-Replayed"] = "true"
    return response


class IdempotencyMiddleware:
    """After authentication and CSRF (process_view): claim or replay; after the view: keep or free."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        claim = getattr(request, "_idempotency_claim", None)
        if claim is not None:
            self._finish(claim, response)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        raw = request.META.get(META_KEY)
        if raw is None or request.method != "POST":
            return None
        try:
            key = uuid.UUID(raw.strip())
        except ValueError:
            return _error(request, 400, _("The Idempotency-Key header must be a UUID."))
        user = _user(request)
        if user is None:
            return None  # the view answers 401/302 for an anonymous request
        try:
            print_ = fingerprint(request)
        except (RequestDataTooBig, TooManyFilesSent) as exc:
            # Reading the body here used it up: answer the limit as the view would have (413).
            from .api.errors import bad_request

            return bad_request(request, exc)
        except Exception:  # noqa: BLE001 - a body the view will refuse (broken): let it say why
            return None
        now = timezone.now()
        # Committed before the view runs, so that a second request with this key sees it running.
        with transaction.atomic():
            SubmissionToken.objects.filter(token=key, created_at__lt=now - ttl()).delete()
            SubmissionToken.objects.filter(
                token=key, state=SubmissionToken.State.RUNNING, created_at__lt=now - stale_after()
            ).delete()
        try:
            with transaction.atomic():
                claim = SubmissionToken.objects.create(
                    token=key, user=user, fingerprint=print_, state=SubmissionToken.State.RUNNING
                )
        except IntegrityError:
            row = SubmissionToken.objects.filter(token=key).first()
            if row is None:  # freed between our insert and this read: the client may simply retry
                return _error(request, 409, _("A request with this Idempotency-Key is still running."))
            reused = _error(request, 422, _("This Idempotency-Key was already used for a different request."))
            if row.user_id != user.pk:
                return reused
            if row.state == SubmissionToken.State.RUNNING:
                response = _error(request, 409, _("A request with this Idempotency-Key is still running."))
                response["Retry-After"] = "2"
                return response
            if row.fingerprint != print_:
                return reused
            return _replay(row)
        request._idempotency_claim = claim
        return None

    def _finish(self, claim: SubmissionToken, response) -> None:
        if response.status_code >= 400 or getattr(response, "streaming", False):
            SubmissionToken.objects.filter(pk=claim.pk, state=SubmissionToken.State.RUNNING).delete()
            return
        if hasattr(response, "render") and not getattr(response, "is_rendered", True):
            response.render()
        claim.state = SubmissionToken.State.DONE
        claim.status_code = response.status_code
        claim.response_headers = {name: response[name] for name in KEPT_HEADERS if response.has_header(name)}
        claim.response_body = response.content
        if not claim.url and response.has_header("Location"):
            claim.url = response["Location"][:500]
        claim.save(update_fields=["state", "status_code", "response_headers", "response_body", "url"])


def purge_expired() -> int:
    """Delete keys older than IDEMPOTENCY_TTL (the beat task); returns how many."""
    deleted, _rows = SubmissionToken.objects.filter(created_at__lt=timezone.now() - ttl()).delete()
    return deleted
