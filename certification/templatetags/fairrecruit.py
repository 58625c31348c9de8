"""Template helpers for the domain's bilingual texts and labels."""

from django import template
from django.utils.translation import get_language

from certification.views import labels

register = template.Library()


@register.filter
def localized(obj, field: str) -> str:
    """`question|localized:"text"` is `text_fr` in French, `text_en` otherwise."""
    language = "fr" if (get_language() or "en").startswith("fr") else "en"
    value = getattr(obj, f"{field}_{language}", "") if not isinstance(obj, dict) else ""
    if isinstance(obj, dict):
        value = obj.get(f"{field}_{language}", "")
    return value or (
        getattr(obj, f"{field}_en", "") if not isinstance(obj, dict) else obj.get(f"{field}_en")
    )


@register.filter
def label(code, vocabulary: str) -> str:
    """A code of one of the domain's vocabularies, in the reader's language."""
    return labels.label(vocabulary, code)


@register.filter
def get(mapping, key):
    return mapping.get(key) if mapping else None
