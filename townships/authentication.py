"""API authentication that loads the caller's scope in the same query as the token and the user."""

from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from .scope import preload_scope, with_memberships
from .tokens import token_expired, token_touch


class TokenAuthentication(authentication.TokenAuthentication):
    """DRF's token check; the user's memberships come with the token (townships.scope.with_memberships).

    Every scoped endpoint needs them, so this saves each API request a round trip; the answers and
    error messages are DRF's own, plus one for an expired token (API_TOKEN_TTL_DAYS). The last use
    comes in the same query and is written at most once a minute (townships.tokens.token_touch).
    """

    def authenticate_credentials(self, key):
        model = self.get_model()
        try:
            token = with_memberships(model.objects.select_related("user", "usage"), "user_id").get(key=key)
        except model.DoesNotExist as exc:
            raise exceptions.AuthenticationFailed(_("Invalid token.")) from exc
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        if token_expired(token):
            raise exceptions.AuthenticationFailed(
                _("The token has expired; request a new one with POST /api/v1/auth/token/.")
            )
        token_touch(token)
        preload_scope(token.user, token)
        return (token.user, token)
