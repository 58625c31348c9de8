"""Pagination of API lists."""

from rest_framework import pagination


class CursorPagination(pagination.CursorPagination):
    """Stable under inserts: ordered by a unique, never-reused key."""

    ordering = "-id"
    page_size_query_param = "page_size"
    max_page_size = 200
