"""Errors raised before a view runs answer like the API does under /api/: JSON, as the schema documents."""

from django.core.exceptions import RequestDataTooBig, TooManyFilesSent
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views import defaults
from rest_framework.exceptions import NotFound


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

    from renovation.uploads import UploadTooLarge

    if isinstance(exception, UploadTooLarge):
        return str(exception.args[0])
    if isinstance(exception, TooManyFilesSent):
        return _("At most %(limit)d files may be sent at once.") % {
            "limit": settings.DATA_UPLOAD_MAX_NUMBER_FILES
        }
    return _("The request is larger than %(limit)d MB.") % {
        "limit": settings.DATA_UPLOAD_MAX_MEMORY_SIZE // (1024 * 1024)
    }
