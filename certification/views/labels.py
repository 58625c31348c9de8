"""What the pages add to the words of codes (`certification/labels.py`): next steps and
the standard's texts in the reader's language."""

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from certification.labels import LABELS, label  # noqa: F401 (the pages' words for codes)
from certification.models import CaseState

# What the agency sees about its case: the state in words and what to do next.
NEXT_STEP = {
    CaseState.DRAFT: _(
        "Answer every question of the self-assessment, check the preview, then submit it."
    ),
    CaseState.SUBMITTED: _("The scheme is screening your self-assessment and will plan an audit."),
    CaseState.AUDIT_PLANNED: _(
        "An audit is planned: prepare the documents the auditor will ask for."
    ),
    CaseState.AUDITING: _("The audit is under way."),
    CaseState.CORRECTIVE_ACTION: _(
        "Answer each non-conformity with a corrective action plan and evidence before its due date."
    ),
    CaseState.IN_REVIEW: _("An independent reviewer is taking the certification decision."),
    CaseState.CERTIFIED: _(
        "Certified. Keep your practices up to date for the surveillance audits."
    ),
    CaseState.SUSPENDED: _("Suspended. Close the open corrective actions to be reinstated."),
    CaseState.REFUSED: _("Certification was refused. You may apply again."),
    CaseState.WITHDRAWN: _("The certificate was withdrawn."),
    CaseState.EXPIRED: _("The certificate expired. Open a new application to be certified again."),
    CaseState.CANCELLED: _("The application was cancelled."),
}


def reader_language() -> str:
    """The standard's language for the reader: fr or en."""
    return "fr" if (get_language() or "en").startswith("fr") else "en"


def localized(obj, field: str) -> str:
    """`obj.<field>_fr` for a French reader when it is filled, `obj.<field>_en` otherwise."""
    if reader_language() == "fr" and getattr(obj, f"{field}_fr", ""):
        return getattr(obj, f"{field}_fr")
    return getattr(obj, f"{field}_en", "")


def choice_label(choice: dict) -> str:
    """A choice of a question (code and label in both languages) in the reader's words."""
    return choice["label"].get(reader_language()) or choice["label"]["en"]
