from rest_framework import pagination

from core.pagination import WindowCountPaginator


class PageNumberPagination(pagination.PageNumberPagination):
    """`{count, next, previous, results}` with `page` and `page_size` (at most 500)."""

    django_paginator_class = WindowCountPaginator
    page_size_query_param = "page_size"
    max_page_size = 500
