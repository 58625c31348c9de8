"""One entry point for firing a case transition by its name, for the API and the web pages
alike, so that both reach exactly the same use case (declared in certification/transitions.py)."""

from certification import transitions
from certification.models import CertificationCase


def case_fire(*, actor, case: CertificationCase, name: str, reason: str = "", **arguments):
    """Fire the named transition through its use case. `reason` goes to the use cases that
    take one; other keywords (the auditor and stage dates of plan_audit) to those that
    declare them. Raises ValueError for a name that is not a case transition."""
    entry = transitions.case_transition(name)
    unknown = set(arguments) - set(entry.arguments)
    if unknown:
        raise TypeError(f"{name} takes no {', '.join(sorted(unknown))}")
    kwargs = {"actor": actor, "case": case, **arguments}
    if entry.reason is not transitions.Reason.NONE:
        kwargs[entry.reason_argument] = reason
    return entry.carry_out(**kwargs)
