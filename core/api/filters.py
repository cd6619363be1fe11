"""The API's filter backend: django-filter's, with form fields built only for the parameters given."""

from django_filters import utils
from django_filters.rest_framework import DjangoFilterBackend

from ..filtersets import FilterSet


class FilterBackend(DjangoFilterBackend):
    """DjangoFilterBackend whose FilterSet validates and applies only the filters a request names.

    The answer is the same as with every field built (an absent, optional filter filters nothing),
    and a bad value is still a 400. The browsable API's filter form (to_html) still shows them all.
    """

    def filter_queryset(self, request, queryset, view):
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is None:
            return queryset
        kwargs = self.get_filterset_kwargs(request, queryset, view)
        if issubclass(filterset_class, FilterSet):
            kwargs["only_given"] = True
        filterset = filterset_class(**kwargs)
        if not filterset.is_valid() and self.raise_exception:
            raise utils.translate_validation(filterset.errors)
        return filterset.qs
