"""Lists inside an object (a case's events, audits, corrective actions; a webhook's
deliveries), paginated like every other list of the API."""

from rest_framework.settings import api_settings


class OldestFirstPagination(api_settings.DEFAULT_PAGINATION_CLASS):
    """The project's pagination (settings), read in the order things happened."""

    ordering = "id"


def paginated(view, queryset, serializer_class):
    """A page of `queryset` with the cursors to the next and previous ones."""
    page = view.paginate_queryset(queryset)
    return view.get_paginated_response(serializer_class(page, many=True).data)
