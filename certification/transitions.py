"""Everything the system knows about each event of a case, declared once (DESIGN.md §2).

Dispatch (`services/dispatch.py`), the transitions a person may fire (`selectors.CaseAccess`),
e-mail notices (`notifications.py`), webhooks (`services/_base.fire`), the case page's forms
(`views/cases.py`) and the table in docs/workflow.md (`manage.py transitions_table`) read
this module. Adding a case transition means one `CaseTransition` below, its FSM method on
`CertificationCase` and its use case in `certification/services/`.

Event names are a closed vocabulary (`EVENT_NAMES`, checked when an event is written), named
by one rule (docs/workflow.md): a case transition is named by its FSM method, verb first
(`plan_audit`, `complete_audit`); an event of another subject is the subject, then that
subject's own transition (`audit_plan`, `audit_complete`, `corrective_action_verify`).
"""

from dataclasses import dataclass
from enum import Enum

from django.utils.functional import Promise
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# Who may act on a case; "scheduler" is run_due_work, acting with no user.
AGENCY_MEMBER, ASSIGNED_AUDITOR, REVIEWER, SCHEDULER = (
    "agency_member",
    "assigned_auditor",
    "reviewer",
    "scheduler",
)
# Who hears of an event by e-mail: the agency's members, the case's auditor, the reviewers.
AGENCY, AUDITOR, REVIEWERS = "agency", "auditor", "reviewers"


REASON = _("Reason")  # the reason field's label unless a transition names it otherwise


class Reason(Enum):
    NONE = "none"  # the form asks for none
    OPTIONAL = "optional"
    REQUIRED = "required"


@dataclass(frozen=True)
class Event:
    """Something that happens to a case or to what it holds, and who hears of it."""

    name: str
    verb: Promise  # in a sentence and in a notice's subject: "plan audit"
    audience: frozenset[str]


@dataclass(frozen=True)
class CaseTransition(Event):
    """A transition of the case's own state."""

    roles: frozenset[str]  # who may fire it
    action: Promise  # its button: "Plan the audit"
    service: str  # the use case that carries it out, `module:function`
    reason: Reason = Reason.NONE
    reason_label: Promise = REASON
    reason_purpose: Promise | None = None  # "A reason is required to <purpose>."
    reason_argument: str = "reason"  # the use case's keyword for the reason
    arguments: tuple[str, ...] = ()  # further keywords the use case takes from a form
    public: bool = False  # may change the agency's public status (employers are told)
    done: Promise | None = None  # what happened, for a log and a subject: "audit planned"

    def carry_out(self, **kwargs):
        return import_string(self.service.replace(":", "."))(**kwargs)

    @property
    def on_pages(self) -> bool:
        """Offered to people: the scheduler's own transitions are not."""
        return bool(self.roles - {SCHEDULER})


def _roles(*roles: str) -> frozenset[str]:
    return frozenset(roles)


_DECISIONS = "certification.services.decisions"

CASE_TRANSITIONS: dict[str, CaseTransition] = {
    t.name: t
    for t in (
        CaseTransition(
            name="submit",
            verb=pgettext_lazy("notice", "submit"),
            done=pgettext_lazy("done", "self-assessment submitted"),
            action=_("Submit the self-assessment"),
            roles=_roles(AGENCY_MEMBER),
            audience=_roles(AGENCY, REVIEWERS),
            service="certification.services.assessment:case_submit",
        ),
        CaseTransition(
            name="return_to_agency",
            verb=pgettext_lazy("notice", "return to agency"),
            done=pgettext_lazy("done", "returned to the agency"),
            action=_("Return to the agency"),
            roles=_roles(REVIEWER),
            audience=_roles(AGENCY),
            service="certification.services.assessment:case_return_to_agency",
            reason=Reason.REQUIRED,
            reason_purpose=_("return a case to the agency"),
        ),
        CaseTransition(
            name="plan_audit",
            verb=pgettext_lazy("notice", "plan audit"),
            done=pgettext_lazy("done", "audit planned"),
            action=_("Plan the audit"),
            roles=_roles(REVIEWER),
            audience=_roles(AGENCY, AUDITOR),
            service="certification.services.auditing:case_plan_audit",
            arguments=("auditor", "stage1_date", "stage2_date"),
        ),
        CaseTransition(
            name="start_audit",
            verb=pgettext_lazy("notice", "start audit"),
            done=pgettext_lazy("done", "audit started"),
            action=_("Start the audit"),
            roles=_roles(ASSIGNED_AUDITOR),
            audience=_roles(AGENCY),
            service="certification.services.auditing:case_start_audit",
        ),
        CaseTransition(
            name="complete_audit",
            verb=pgettext_lazy("notice", "complete audit"),
            done=pgettext_lazy("done", "audit completed"),
            action=_("Complete the audit"),
            roles=_roles(ASSIGNED_AUDITOR),
            audience=_roles(AGENCY, REVIEWERS),
            service="certification.services.auditing:case_complete_audit",
            reason=Reason.OPTIONAL,
            reason_label=_("Why before the on-site date (only then)"),
        ),
        CaseTransition(
            name="close_corrective_actions",
            verb=pgettext_lazy("notice", "close corrective actions"),
            done=pgettext_lazy("done", "corrective actions closed"),
            action=_("Close the corrective actions"),
            roles=_roles(ASSIGNED_AUDITOR),
            audience=_roles(AGENCY, REVIEWERS),
            service="certification.services.corrective:case_close_corrective_actions",
        ),
        CaseTransition(
            name="certify",
            verb=pgettext_lazy("notice", "certify"),
            done=pgettext_lazy("done", "certified"),
            action=_("Certify"),
            roles=_roles(REVIEWER),
            audience=_roles(AGENCY, AUDITOR),
            service=f"{_DECISIONS}:case_certify",
            reason=Reason.REQUIRED,
            reason_label=_("Rationale of the decision"),
            reason_purpose=_("certify"),
            reason_argument="rationale",
            arguments=("confirmations",),
            public=True,
        ),
        CaseTransition(
            name="refuse",
            verb=pgettext_lazy("notice", "refuse"),
            done=pgettext_lazy("done", "refused"),
            action=_("Refuse certification"),
            roles=_roles(REVIEWER, SCHEDULER),
            audience=_roles(AGENCY, AUDITOR),
            service=f"{_DECISIONS}:case_refuse",
            reason=Reason.REQUIRED,
            reason_label=_("Rationale of the decision"),
            reason_purpose=_("refuse certification"),
            reason_argument="rationale",
        ),
        CaseTransition(
            name="suspend",
            verb=pgettext_lazy("notice", "suspend"),
            done=pgettext_lazy("done", "suspended"),
            action=_("Suspend the certificate"),
            roles=_roles(REVIEWER, SCHEDULER),
            audience=_roles(AGENCY, REVIEWERS),
            service=f"{_DECISIONS}:case_suspend",
            reason=Reason.REQUIRED,
            reason_purpose=_("suspend a certificate"),
            public=True,
        ),
        CaseTransition(
            name="reinstate",
            verb=pgettext_lazy("notice", "reinstate"),
            done=pgettext_lazy("done", "reinstated"),
            action=_("Reinstate the certificate"),
            roles=_roles(REVIEWER),
            audience=_roles(AGENCY, REVIEWERS),
            service=f"{_DECISIONS}:case_reinstate",
            reason=Reason.OPTIONAL,
            public=True,
        ),
        CaseTransition(
            name="withdraw",
            verb=pgettext_lazy("notice", "withdraw"),
            done=pgettext_lazy("done", "withdrawn"),
            action=_("Withdraw the certificate"),
            roles=_roles(REVIEWER, SCHEDULER),
            audience=_roles(AGENCY, REVIEWERS),
            service=f"{_DECISIONS}:case_withdraw",
            reason=Reason.REQUIRED,
            reason_purpose=_("withdraw a certificate"),
            public=True,
        ),
        # Only by deciding an appeal (certification/services/appeals.py: appeal_decide):
        # the case page never offers it and the generic route is refused (guard `appeal`).
        CaseTransition(
            name="overturn",
            verb=pgettext_lazy("notice", "overturn on appeal"),
            done=pgettext_lazy("done", "decision overturned on appeal"),
            action=_("Overturn the decision"),
            roles=_roles(REVIEWER),
            audience=_roles(AGENCY, REVIEWERS),
            service="certification.services.appeals:case_overturn",
            reason=Reason.REQUIRED,
            reason_label=_("Rationale of the answer"),
            reason_purpose=_("answer an appeal"),
            reason_argument="rationale",
            public=True,
        ),
        CaseTransition(
            name="expire",
            verb=pgettext_lazy("notice", "expire"),
            done=pgettext_lazy("done", "expired"),
            action=_("Expire"),
            roles=_roles(SCHEDULER),
            audience=_roles(AGENCY),
            service=f"{_DECISIONS}:case_expire",
            public=True,
        ),
        CaseTransition(
            name="cancel",
            verb=pgettext_lazy("notice", "cancel"),
            done=pgettext_lazy("done", "cancelled"),
            action=_("Cancel the application"),
            roles=_roles(AGENCY_MEMBER),
            audience=_roles(AGENCY, REVIEWERS),
            service="certification.services.assessment:case_cancel",
            reason=Reason.OPTIONAL,
        ),
    )
}

# Events that are not transitions of the case's own state.
OTHER_EVENTS: dict[str, Event] = {
    e.name: e
    for e in (
        Event("open", pgettext_lazy("notice", "opened"), _roles(AGENCY)),
        Event(
            "audit_plan",
            pgettext_lazy("notice", "plan surveillance audit"),
            _roles(AGENCY, AUDITOR),
        ),
        Event("audit_start", pgettext_lazy("notice", "audit started"), _roles(AGENCY)),
        Event("audit_complete", pgettext_lazy("notice", "audit completed"), _roles(AGENCY)),
        Event("audit_cancel", pgettext_lazy("notice", "audit cancelled"), _roles(AGENCY)),
        Event(
            "corrective_action_submit",
            pgettext_lazy("notice", "corrective action submitted"),
            _roles(AUDITOR),
        ),
        Event(
            "corrective_action_accept",
            pgettext_lazy("notice", "corrective action accepted"),
            _roles(AGENCY),
        ),
        Event(
            "corrective_action_reject",
            pgettext_lazy("notice", "corrective action rejected"),
            _roles(AGENCY),
        ),
        Event(
            "corrective_action_verify",
            pgettext_lazy("notice", "corrective action verified"),
            _roles(AGENCY),
        ),
        # A change of the agency's certified identity (certification/services/identity.py):
        # reviewers hear of the request, the agency of the decision.
        Event(
            "identity_change_request",
            pgettext_lazy("notice", "change of identity requested"),
            _roles(REVIEWERS),
        ),
        Event(
            "identity_change_approve",
            pgettext_lazy("notice", "change of identity approved"),
            _roles(AGENCY),
        ),
        Event(
            "identity_change_reject",
            pgettext_lazy("notice", "change of identity rejected"),
            _roles(AGENCY),
        ),
        # An appeal of a refusal, suspension or withdrawal (certification/services/appeals.py):
        # reviewers hear of it, the agency of the answer. Overturning is also the case's
        # `overturn`, whose notice tells them both: `appeal_overturn` tells no one again.
        Event("appeal_lodge", pgettext_lazy("notice", "appeal lodged"), _roles(AGENCY, REVIEWERS)),
        Event(
            "appeal_uphold",
            pgettext_lazy("notice", "appeal answered: the decision stands"),
            _roles(AGENCY, REVIEWERS),
        ),
        Event("appeal_overturn", pgettext_lazy("notice", "appeal answered: overturned"), _roles()),
    )
}

# Notices that are not events of the log.
NOTICES: dict[str, Event] = {
    "renewal_reminder": Event(
        "renewal_reminder", pgettext_lazy("notice", "renewal reminder"), _roles(AGENCY)
    ),
    # run_due_work, before an appeal's answer is due and once it is late (each once).
    "appeal_reminder": Event(
        "appeal_reminder", pgettext_lazy("notice", "appeal to answer soon"), _roles(REVIEWERS)
    ),
    "appeal_overdue": Event(
        "appeal_overdue", pgettext_lazy("notice", "appeal answer overdue"), _roles(REVIEWERS)
    ),
}


def event_names() -> frozenset[str]:
    """The closed vocabulary of `TransitionEvent.transition`."""
    return frozenset(CASE_TRANSITIONS) | frozenset(OTHER_EVENTS)


def about(name: str) -> Event | None:
    """The declaration of an event or notice, or None."""
    return CASE_TRANSITIONS.get(name) or OTHER_EVENTS.get(name) or NOTICES.get(name)


def case_transition(name: str) -> CaseTransition:
    try:
        return CASE_TRANSITIONS[name]
    except KeyError:
        raise ValueError(f"unknown transition {name!r}") from None


def done(name: str) -> str:
    """What happened, in the reader's words, for a case's log and a notice's subject: a
    transition's past ("suspended"), another event's own words ("audit completed")."""
    entry = about(name)
    if entry is None:
        return name.replace("_", " ")
    return str(getattr(entry, "done", None) or entry.verb)


def verb(name: str) -> str:
    """An event in the reader's words ("plan audit")."""
    entry = about(name)
    return str(entry.verb) if entry else name.replace("_", " ")
