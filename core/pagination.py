"""Pagination shared by pages and the API."""

from django.core.paginator import Paginator
from django.db.models import Count, QuerySet, Window
from django.db.models.query import ValuesIterable

TOTAL = "_page_total"
MAX_OFFSET = 2**63 - 1


class WindowCountPaginator(Paginator):
    """For `.values()` querysets, the total comes with the page: `COUNT(*) OVER ()` in the page query.

    The stock paginator runs `SELECT COUNT(*)` first, a second round trip that repeats the joins
    and the filter; on the lean list endpoints that was one query in four. Anything the window
    cannot count the same way (DISTINCT, UNION, slices, model instances) and a page past the end
    fall back to the stock behaviour, so totals and "invalid page" answers are unchanged.

    Kept for the joined-list budget of `make bench`: with the stock paginator the findings lists fall
    onto its line (`bench/run.py --stock paginator`; figures in docs/performance.md › Forks).
    """

    def page(self, number):
        queryset = self.object_list
        countable = (
            isinstance(queryset, QuerySet)
            and queryset._iterable_class is ValuesIterable
            and not queryset.query.distinct
            and not queryset.query.combinator
            and not queryset.query.is_sliced
            and "count" not in self.__dict__
        )
        try:
            number = int(number)
        except (TypeError, ValueError):
            countable = False
        # A page whose offset no bigint holds is past any end: the stock checks answer "invalid page".
        if not countable or number < 1 or number * self.per_page > MAX_OFFSET:
            return super().page(number)
        bottom = (number - 1) * self.per_page
        rows = list(queryset.annotate(**{TOTAL: Window(Count("*"))})[bottom : bottom + self.per_page])
        if not rows:
            return super().page(number)  # empty list or past the end: the stock count and checks
        self.__dict__["count"] = rows[0][TOTAL]  # Paginator.count is a cached_property
        for row in rows:
            del row[TOTAL]
        return self._get_page(rows, number, self)


def page_of_ids(paginator_page, rows_queryset, key: str = "pk"):
    """Put the rows of `rows_queryset` for the ids of a `.values(key)` page into the page, in page order.

    A list sorted over many joined rows pages its ids first (from an index where one covers the sort)
    and reads only the rows shown.
    """
    ids = [row[key] for row in paginator_page.object_list]
    found = {obj.pk: obj for obj in rows_queryset.filter(pk__in=ids)} if ids else {}
    paginator_page.object_list = [found[pk] for pk in ids if pk in found]
    return paginator_page
