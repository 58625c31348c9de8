"""Page sizes for every list of the API: refused when they are not page sizes, rather than
silently taken as the default, and each paging parameter given once. The cursor lists
(config/pagination.py) and the page-numbered ones below share this."""

import re

from rest_framework import pagination
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response


def refuse_repeated(request, names) -> None:
    repeated = sorted(name for name in names if len(request.query_params.getlist(name)) > 1)
    if repeated:
        raise ValidationError({name: ["Give this parameter once."] for name in repeated})


class StrictPageSize:
    """`page_size` from 1 to `max_page_size`, or a 400; the schema says so."""

    page_size_query_param = "page_size"
    max_page_size = 200
    page_size_query_description = "Rows a page, 1 to 200 (default 50)."

    def paging_parameters(self) -> list[str]:
        return [self.page_size_query_param]

    def get_page_size(self, request):
        refuse_repeated(request, self.paging_parameters())
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


class NumberedPages(StrictPageSize, pagination.PageNumberPagination):
    """For a list in an order a cursor cannot follow (the complaints' queue: open, overdue and
    zero tolerance first), in the shape of every list of the API: next, previous, results."""

    page_size = 50

    def paging_parameters(self) -> list[str]:
        return [self.page_size_query_param, self.page_query_param]

    def get_paginated_response(self, data):
        return Response(
            {"next": self.get_next_link(), "previous": self.get_previous_link(), "results": data}
        )

    def get_paginated_response_schema(self, schema):
        shape = super().get_paginated_response_schema(schema)
        shape["properties"].pop("count", None)
        shape["required"] = [name for name in shape.get("required", []) if name != "count"]
        return shape
