"""One declaration of every case transition (certification/transitions.py): dispatch, the
transitions offered to people, notices, the pages' forms and the docs read it."""

from importlib import import_module
from pathlib import Path

import pytest
from django.core import mail
from django.db import transaction
from django_fsm import transition

from certification import transitions, workflow_table
from certification.forms.cases import TransitionForm
from certification.models import CaseState, CertificationCase, TransitionEvent
from certification.selectors import CaseAccess
from certification.services import dispatch
from certification.services._base import fire, lock_case, transition_reason
from certification.views.cases import CASE_PAGE_TRANSITIONS
from tests.certification.world import World, refreshed

DOCS = Path(__file__).resolve().parents[2] / "docs" / "workflow.md"


@pytest.mark.outside_the_database
def test_the_docs_table_is_the_declaration():
    document = DOCS.read_text(encoding="utf-8")

    assert workflow_table.written(document) == document, "run `make docs`"


@pytest.mark.outside_the_database
def test_every_declared_transition_has_its_fsm_method_and_use_case():
    field = CertificationCase._meta.get_field("state")
    fsm_names = {move.name for move in field.get_all_transitions(CertificationCase)}

    assert set(transitions.CASE_TRANSITIONS) == fsm_names
    for entry in transitions.CASE_TRANSITIONS.values():  # resolved when fired: must resolve
        module, _sep, function = entry.service.partition(":")
        assert callable(getattr(import_module(module), function)), entry.name


@pytest.mark.django_db
def test_an_event_outside_the_vocabulary_is_refused():
    case = World().case_in("draft")

    with pytest.raises(ValueError, match="unknown event 'plan_surveillance_audit'"):
        TransitionEvent.objects.create(
            case=case, transition="plan_surveillance_audit", source="", target="planned"
        )


# --- a made-up transition: one entry, its FSM method and its use case ---------------------


def case_note_complaint(*, actor, case, reason=""):
    """The made-up use case: a reviewer notes a complaint against a certified agency."""
    reason = transition_reason("note_complaint", reason)
    with transaction.atomic():
        case = lock_case(case)
        fire(case, "note_complaint", actor=actor, reason=reason)
    return case


@pytest.fixture
def note_complaint(monkeypatch):
    # Its FSM method, as it would be written in CertificationCase.
    field = CertificationCase._meta.get_field("state")

    def note_complaint(self):
        pass

    method = transition(field=field, source=CaseState.CERTIFIED, target=CaseState.CERTIFIED)(
        note_complaint
    )
    monkeypatch.setattr(CertificationCase, "note_complaint", method, raising=False)
    monkeypatch.setitem(field.transitions[CertificationCase], "note_complaint", method)
    # Its one entry in the table.
    entry = transitions.CaseTransition(
        name="note_complaint",
        verb="note a complaint",
        action="Note a complaint",
        roles=frozenset({transitions.REVIEWER}),
        audience=frozenset({transitions.AGENCY}),
        service=f"{__name__}:case_note_complaint",
        reason=transitions.Reason.REQUIRED,
        reason_purpose="note a complaint",
    )
    monkeypatch.setitem(transitions.CASE_TRANSITIONS, "note_complaint", entry)
    return entry


@pytest.mark.django_db
def test_a_new_transition_is_one_entry_its_fsm_method_and_its_use_case(
    note_complaint, django_capture_on_commit_callbacks
):
    world = World()
    case = world.case_in("certified")
    mail.outbox.clear()

    # Offered to whom the entry says, and only to them.
    assert "note_complaint" in CaseAccess(world.reviewer).available_transitions(case)
    assert "note_complaint" not in CaseAccess(world.agency_member).available_transitions(case)
    # The page's form follows the entry: its label and a required reason.
    form = TransitionForm({"note_complaint-reason": ""}, name="note_complaint")
    assert (form.label, form.is_valid()) == ("Note a complaint", False)
    # Dispatch reaches the use case, which writes the event; the notice goes to the audience.
    with django_capture_on_commit_callbacks(execute=True):
        dispatch.case_fire(
            actor=world.reviewer, case=case, name="note_complaint", reason="Fee charged."
        )
    event = TransitionEvent.objects.filter(case=case).latest("id")
    assert (event.transition, event.source, event.target, event.reason) == (
        "note_complaint",
        "certified",
        "certified",
        "Fee charged.",
    )
    [notice] = mail.outbox
    assert notice.to == ["agency@example.org"]
    assert notice.subject.endswith("— note a complaint")
    # And the docs' table has its row.
    assert (
        "| `case_note_complaint` | note_complaint | certified → certified | reviewer | required "
        "| agency | — |"
    ) in workflow_table.rows()
    assert refreshed(case).state == "certified"


@pytest.mark.django_db
def test_a_made_up_transition_needs_its_reason_through_dispatch(note_complaint):
    world = World()
    case = world.case_in("certified")

    with pytest.raises(Exception, match="A reason is required to note a complaint"):
        dispatch.case_fire(actor=world.reviewer, case=case, name="note_complaint")


@pytest.mark.outside_the_database
def test_the_case_page_offers_every_transition_a_person_may_fire():
    assert [
        name for name in transitions.CASE_TRANSITIONS if name != "expire"
    ] == CASE_PAGE_TRANSITIONS


@pytest.mark.outside_the_database
def test_dispatch_refuses_an_unknown_name_and_arguments_a_use_case_does_not_take():
    with pytest.raises(ValueError, match="unknown transition 'reopen'"):
        dispatch.case_fire(actor=None, case=None, name="reopen")
    with pytest.raises(TypeError, match="certify takes no auditor"):
        dispatch.case_fire(actor=None, case=None, name="certify", auditor=None)
