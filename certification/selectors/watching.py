"""What an employer watches, and agencies found by name for the watchlist."""

from certification.models import WatchedAgency
from recruiters.models import Agency, name_key

SUGGESTIONS = 8


def watched_among(employer, agency_ids) -> set[int]:
    """Which of these agencies the employer watches: one query for a page of them."""
    if employer is None or not agency_ids:
        return set()
    return set(
        WatchedAgency.objects.filter(employer=employer, agency_id__in=agency_ids).values_list(
            "agency_id", flat=True
        )
    )


def agencies_named(text: str, limit: int = SUGGESTIONS) -> list[Agency]:
    """Agencies whose name holds the words typed, whatever their case and accents, the
    closest first (the name itself, then those that begin with it)."""
    key = name_key(text or "")
    if len(key) < 2:
        return []
    found = list(
        Agency.objects.filter(name_key__contains=key).order_by("name_key", "country", "pk")[
            : limit * 5
        ]
    )
    found.sort(key=lambda a: (a.name_key != key, not a.name_key.startswith(key), a.name_key))
    return found[:limit]
