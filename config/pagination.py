"""Pagination of API lists."""

import re

from rest_framework import pagination
from rest_framework.exceptions import ValidationError

from config.filtering import refuse_repeated


class CursorPagination(pagination.CursorPagination):
    """Stable under inserts: ordered by a unique, never-reused key."""

    ordering = "-id"
    page_size_query_param = "page_size"
    max_page_size = 200
    page_size_query_description = "Rows a page, 1 to 200 (default 50)."

    def get_page_size(self, request):
        # Refused when it is not a page size, rather than silently taken as the default.
        refuse_repeated(request, [self.page_size_query_param, self.cursor_query_param])
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        if not re.fullmatch(r"[0-9]{1,3}", raw) or not 1 <= int(raw) <= self.max_page_size:
            raise ValidationError(
                {self.page_size_query_param: [f"A whole number from 1 to {self.max_page_size}."]}
            )
        return int(raw)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"] = {
                    "type": "integer",
                    "minimum": 1,
                    "maximum": self.max_page_size,
                }
        return parameters
