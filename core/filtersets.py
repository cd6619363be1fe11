"""django-filter's FilterSet with a per-request shallow copy, and the yes/no/all widget every list uses."""

import copy

import django_filters
import django_filters.widgets
from django.utils.translation import gettext_lazy as _


class YesNoAllWidget(django_filters.widgets.BooleanWidget):
    """A yes/no filter whose empty choice reads 全部 (All) instead of 未知 (Unknown)."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = (("", _("All")), ("true", _("yes")), ("false", _("no")))


class FilterSet(django_filters.FilterSet):
    """django-filter's FilterSet with a shallow per-request copy of the declared filters.

    The stock __init__ deep-copies every declared filter (widgets, lazy labels, querysets), work that
    grows with the number of declared filters and that a list request repeats each time. What a filter
    changes per request is its parent, its model and its lazily built form field, and those are set
    or dropped below, so a shallow copy behaves the same (tests/townships/test_filterset_copy.py).

    Kept for the joined-list budget of `make bench`: with the stock __init__ the findings lists fall
    onto or under its line (`bench/run.py --stock filterset`; figures in docs/performance.md › Forks).
    """

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None, only_given=False):
        # only_given: build form fields only for the filters the data names (the API, whose form is
        # never shown); a filter that is not given filters nothing either way.
        self.only_given = only_given and data is not None and not prefix
        declared = self.base_filters
        self.base_filters = {}  # nothing for the stock __init__ to deep-copy
        try:
            super().__init__(data, queryset, request=request, prefix=prefix)
        finally:
            del self.base_filters  # the class attribute shows through again
        model = self.queryset.model
        self.filters = {}
        for name, filter_ in declared.items():
            mine = copy.copy(filter_)
            mine.__dict__.pop("_field", None)  # built per instance, as after a deep copy
            if filter_.method is not None:
                mine.method = filter_.method  # a FilterMethod bound to this copy, not the declared one
            mine.model, mine.parent = model, self
            self.filters[name] = mine

    @property
    def valid_qs(self):
        """`qs`, or no rows at all when a filter value is invalid: `qs` would leave that filter out and
        answer more rows than were asked for (an export, a list read outside a FilterView)."""
        return self.qs if self.is_valid() else self.queryset.none()

    def _given(self, name: str, filter_) -> bool:
        # A suffixed widget (a range's name_min/name_max, name_after/name_before) counts as given too.
        return (
            filter_.extra.get("required", False)
            or name in self.data
            or any(key.startswith(f"{name}_") for key in self.data)
        )

    def get_form_class(self):
        """The stock form class, or with only_given the given filters' fields alone.

        Building, class-creating and deep-copying a form field per declared filter was most of an API
        list's filtering cost (fifteen fields for the findings list, one or two given).
        """
        if not self.only_given:
            return super().get_form_class()
        fields = {name: f.field for name, f in self.filters.items() if self._given(name, f)}
        return type(f"{type(self).__name__}Form", (self._meta.form,), fields)
