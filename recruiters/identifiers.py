"""Identifiers as people and programs send them: parsed strictly, in one place.

`str.isdigit()` and `int()` accept far more than a database key: superscripts ('²'),
other scripts' digits ('٣'), signs, underscores, spaces and numbers no column can hold. A
key here is 1 to 18 ASCII digits (every value fits a 64-bit column); anything else is no key.
"""

import re
import uuid

from django.http import Http404

_KEY = re.compile(r"[0-9]{1,18}")


def parse_id(value) -> int | None:
    """A database key from text, or None when the text is not one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if 0 < value < 10**18 else None
    if not isinstance(value, str) or not _KEY.fullmatch(value):
        return None
    return int(value) or None  # keys start at 1


def id_or_404(value) -> int:
    """A key from a form or a query; anything else answers 404, like an unknown key."""
    key = parse_id(value)
    if key is None:
        raise Http404
    return key


def parse_uuid(value) -> uuid.UUID | None:
    """A public identifier (UUID) from text, or None; never from a number."""
    if not isinstance(value, str) or len(value) > 45:
        return None
    try:
        return uuid.UUID(value)
    except ValueError:
        return None
