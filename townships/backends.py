"""The session login backend: Django's ModelBackend, loading the user's memberships with the user."""

from django.contrib.auth import backends, get_user_model

from .scope import preload_scope, with_memberships


class ModelBackend(backends.ModelBackend):
    """Each page reads the session's user; the scope every page needs comes in that same query."""

    def get_user(self, user_id):
        model = get_user_model()
        try:
            user = with_memberships(model._default_manager.all(), "pk").get(pk=user_id)
        except model.DoesNotExist:
            return None
        if not self.user_can_authenticate(user):
            return None
        preload_scope(user, user)
        return user
