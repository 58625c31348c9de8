"""Template helpers for the domain's bilingual texts and labels."""

from django import template

from certification import labels

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
