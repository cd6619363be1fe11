import django_filters
from django.utils.translation import gettext_lazy as _

from core.filtersets import FilterSet, YesNoAllWidget

from .choices import NotificationLevel
from .models import Notification


class NotificationFilterSet(FilterSet):
    unread = django_filters.BooleanFilter(
        field_name="read_at", lookup_expr="isnull", label=_("unread"), widget=YesNoAllWidget
    )
    level = django_filters.ChoiceFilter(choices=NotificationLevel.choices, label=_("level"))

    class Meta:
        model = Notification
        fields = ["unread", "level"]
