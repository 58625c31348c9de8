"""Appeals in the workflow world: a case refused, suspended or withdrawn by a reviewer, a
second reviewer to answer, the texts they write, and a file to join."""

from django.core.files.uploadedfile import SimpleUploadedFile

from certification import services
from tests.certification.world import REFUSAL, refreshed
from tests.factories import MembershipFactory, UserFactory

GROUNDS = "The auditor did not read the refund receipts we sent before the decision."
ANSWER = "The refund receipts were read again: they show every fee refunded in full."
PDF = b"%PDF-1.7\n%%EOF\n"


def pdf(name="receipts.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def add_reviewer(world, username="appeals"):
    """A reviewer who took no part in the case: the one to answer its appeals."""
    world.appeal_reviewer = MembershipFactory(user=UserFactory(username=username)).user
    return world.appeal_reviewer


def decided(world, state: str, *, by=None):
    """A case refused (from in_review), suspended or withdrawn (from certified, or from
    suspended for `withdrawn_suspended`) by `by` (default the world's reviewer)."""
    by = by or world.reviewer
    if state == "refused":
        case = world.case_in("in_review")
        services.case_refuse(actor=by, case=case, rationale=REFUSAL)
        return refreshed(case)
    case = world.case_in("suspended" if state == "withdrawn_suspended" else "certified")
    if state == "suspended":
        services.case_suspend(actor=by, case=case, reason="Complaint under investigation.")
    else:
        services.case_withdraw(actor=by, case=case, reason="Complaint substantiated.")
    return refreshed(case)


def lodged(world, state: str = "suspended", **kwargs):
    case = decided(world, state)
    return services.appeal_lodge(actor=world.agency_member, case=case, grounds=GROUNDS, **kwargs)
