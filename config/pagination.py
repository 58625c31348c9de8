"""Pagination of API lists."""

from rest_framework import pagination

from certification.api.pagination import StrictPageSize


class CursorPagination(StrictPageSize, pagination.CursorPagination):
    """Stable under inserts: ordered by a unique, never-reused key."""

    ordering = "-id"

    def paging_parameters(self) -> list[str]:
        return [self.page_size_query_param, self.cursor_query_param]
