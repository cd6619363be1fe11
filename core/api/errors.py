"""The API's error answers: one shape per kind, whatever raised them.

- field errors: `{"field": ["…"]}` (400)
- errors about the request as a whole, such as an illegal state change: `{"non_field_errors": ["…"]}` (400)
- 401/403/404/405/415/429: `{"detail": "…"}`

A service raises Django's ValidationError (the apps' WorkflowError and PhotoError are subclasses) or
PermissionDenied; views call services without catching either, and exception_handler answers for them.
"""

from django.core.exceptions import NON_FIELD_ERRORS, RequestDataTooBig, TooManyFilesSent
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views import defaults
from rest_framework import exceptions, views
from rest_framework.exceptions import NotFound
from rest_framework.settings import api_settings


def validation_detail(exc: DjangoValidationError) -> dict[str, list[str]]:
    """A Django ValidationError as DRF's 400 body: field → messages, the rest under non_field_errors."""
    if hasattr(exc, "error_dict"):
        return {
            (api_settings.NON_FIELD_ERRORS_KEY if name == NON_FIELD_ERRORS else name): messages
            for name, messages in exc.message_dict.items()
        }
    return {api_settings.NON_FIELD_ERRORS_KEY: exc.messages}


def exception_handler(exc, context):
    """REST_FRAMEWORK's EXCEPTION_HANDLER: DRF's, which maps Http404 and PermissionDenied, plus
    Django's ValidationError as a 400 in DRF's shape."""
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(validation_detail(exc))
    return views.exception_handler(exc, context)


def not_found(request, exception=None):
    """handler404: JSON {"detail": ...} under /api/, Django's page elsewhere."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": str(NotFound.default_detail)}, status=404)
    return defaults.page_not_found(request, exception)


def bad_request(request, exception=None):
    """handler400: a body over a limit (size, file count) answers 413 with the limit; JSON under /api/."""
    if isinstance(exception, (RequestDataTooBig, TooManyFilesSent)):
        status = 413
        detail = _too_large_detail(exception)
    else:
        status, detail = 400, _("The request could not be understood.")
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": detail}, status=status)
    return render(request, "400.html", {"detail": detail}, status=status)


def _too_large_detail(exception) -> str:
    from django.conf import settings

    from core.uploads import UploadTooLarge

    if isinstance(exception, UploadTooLarge):
        return str(exception.args[0])
    if isinstance(exception, TooManyFilesSent):
        return _("At most %(limit)d files may be sent at once.") % {
            "limit": settings.DATA_UPLOAD_MAX_NUMBER_FILES
        }
    return _("The request is larger than %(limit)d MB.") % {
        "limit": settings.DATA_UPLOAD_MAX_MEMORY_SIZE // (1024 * 1024)
    }
