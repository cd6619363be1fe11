from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import SAFE_METHODS, BasePermission

from .scope import is_read_only


class ScopedRolePermission(BasePermission):
    """Authenticated users only; province observers and API clients may only read.

    Which rows a user sees is decided by each view's get_queryset() through townships.scope,
    so an out-of-scope object answers 404, never 403.
    """

    message = _("Your role may read this data but not change it.")

    def has_permission(self, request, view) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False
        if request.method in SAFE_METHODS:
            return True
        return not is_read_only(request.user)
