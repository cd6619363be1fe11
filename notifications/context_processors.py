from django.utils.functional import SimpleLazyObject

from .models import Notification


def unread_count(request):
    """`notifications_unread` for the header badge; counted only when a template shows it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "notifications_unread": SimpleLazyObject(lambda: Notification.objects.for_user(user).unread().count())
    }
