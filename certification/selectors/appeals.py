"""Reads about appeals: who sees which (the agency's members their own, reviewers all;
nobody else, not even the case's auditors), and what a case's appeal page shows."""

from django.db.models import Prefetch

from certification.models import Appeal, AppealFile, AppealState, CertificationCase
from certification.selectors import CaseAccess


def appeals_visible(access: CaseAccess):
    """The appeals this person may read, each with its case, decision and files: a
    constant number of queries for a list."""
    if not (access.user.is_authenticated and access.user.is_active):
        return Appeal.objects.none()
    appeals = Appeal.objects.select_related(
        "case__agency", "decision__actor", "lodged_by", "decided_by"
    ).prefetch_related(Prefetch("files", queryset=AppealFile.objects.order_by("uploaded_at", "pk")))
    if access.is_reviewer:
        return appeals
    return appeals.filter(case__agency_id__in=access.agency_ids)


def may_see_appeals(access: CaseAccess, case: CertificationCase) -> bool:
    """The case's agency's members and reviewers; a 404 for everyone else."""
    return access.is_reviewer or case.agency_id in access.agency_ids


def appeals_open(access: CaseAccess):
    """Appeals waiting for an answer, the one due soonest first."""
    return appeals_visible(access).filter(state=AppealState.LODGED).order_by("due_by", "pk")
