"""What the API's views share: lists inside an object (a case's events, audits, corrective
actions; a webhook's deliveries), paginated like every other list, and query parameters
with a fixed set of values."""

from rest_framework.exceptions import ValidationError
from rest_framework.settings import api_settings


class OldestFirstPagination(api_settings.DEFAULT_PAGINATION_CLASS):
    """The project's pagination (settings), read in the order things happened."""

    ordering = "id"


def paginated(view, queryset, serializer_class):
    """A page of `queryset` with the cursors to the next and previous ones."""
    page = view.paginate_queryset(queryset)
    return view.get_paginated_response(serializer_class(page, many=True).data)


def query_choice(request, name: str, choices, default: str) -> str:
    """A query parameter that takes one of `choices`: absent, the default; anything else
    is refused with 400 rather than silently taken as the default."""
    values = request.query_params.getlist(name)
    if not values:
        return default
    value = values[-1]
    if len(values) > 1 or value not in choices:
        raise ValidationError({name: [f"One of {', '.join(choices)}."]})
    return value
