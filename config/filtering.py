"""Query parameters of the API, each given once, with a value.

A query string may repeat a parameter (`?status=x&status=certified`); a form reads only the
last value, so a list that answered as if filtered by `certified` would have ignored what
the caller also sent. And an empty choice (`?status=`), which a web form sends for "any",
is no choice of the documented ones. Both are refused with 400 on the API, as a value
outside the choices is; the web pages keep the forms' habits.
"""

from django_filters import CharFilter
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.exceptions import ValidationError

from certification.api.pagination import refuse_repeated


class FilterBackend(DjangoFilterBackend):
    def filter_queryset(self, request, queryset, view):
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is not None:
            filters = filterset_class.base_filters
            refuse_repeated(request, filters)
            empty = sorted(
                name
                for name, declared in filters.items()
                if not isinstance(declared, CharFilter) and request.query_params.get(name) == ""
            )
            if empty:
                raise ValidationError(
                    {
                        name: ["Choose one of the values, or leave the parameter out."]
                        for name in empty
                    }
                )
        return super().filter_queryset(request, queryset, view)
