"""Template helpers for the domain's bilingual texts and labels."""

from datetime import datetime

from django import template
from django.utils import timezone

from certification import labels, transitions

register = template.Library()


@register.filter
def localized(obj, field: str) -> str:
    """`question|localized:"text"` is `text_fr` for a French reader, `text_en` otherwise."""
    return labels.localized(obj, field)


@register.filter
def label(code, vocabulary: str) -> str:
    """A code of one of the domain's vocabularies, in the reader's language."""
    return labels.label(vocabulary, code)


@register.filter
def grade_in_words(finding) -> str:
    """A finding's grade, with why it counts as more serious when it does."""
    return labels.grade_in_words(finding)


@register.filter
def get(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def field_value(value) -> str:
    """A value of the agency's history or of a request, as read: lists joined, none a dash."""
    if isinstance(value, list | tuple):
        value = ", ".join(str(item) for item in value)
    return str(value) if value not in (None, "") else "—"


@register.simple_tag
def bars(rows, length: int = 150):
    """Each (label, value) row with its bar's length in the chart's units, the longest
    `length`; a value above nought always gets a visible bar."""
    rows = list(rows)
    top = max((value for _label, value in rows), default=0)
    return {
        "height": 10 * len(rows),
        "bars": [
            {
                "label": row_label,
                "value": value,
                "size": (max(2, round(value * length / top)) if value else 0) if top else 0,
                "y": 10 * index,
            }
            for index, (row_label, value) in enumerate(rows)
        ],
    }


@register.filter
def event_words(name: str) -> str:
    """An event of a case's log in the reader's words ("corrective action verified")."""
    return transitions.done(name)


@register.filter
def event_state(code, name: str) -> str:
    """A state in an event of the log, in words, from the vocabulary of what changed."""
    return labels.event_state(name, code)


@register.filter
def sectors(codes) -> str:
    return labels.sectors_in_words(codes)


@register.filter
def explain(reason, question=None) -> str:
    """One of the scoring engine's reasons in the reader's language."""
    return labels.explain(reason, question)


@register.filter
def day(value) -> str:
    """A day (a date, or its ISO text as the status gives it) in the reader's long form."""
    if isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            return value
        value = timezone.localtime(moment).date() if timezone.is_aware(moment) else moment.date()
    elif isinstance(value, datetime):
        value = timezone.localtime(value).date()
    return labels.day(value)
