"""Notices go to the people concerned once the change is committed; answers are saved whole or not at all."""

import json
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from audits.models import Answer, WorkerCost
from certification import services
from certification.errors import TransitionNotAllowed
from tests.certification.world import COMPLIANT, RATIONALE, World

pytestmark = pytest.mark.django_db


def test_a_certification_notifies_the_agency_and_the_auditor_after_commit(
    django_capture_on_commit_callbacks,
):
    world = World()
    case = world.case_in("in_review")
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.case_certify(actor=world.reviewer, case=case, rationale=RATIONALE)

    # The kept answers dropped from the cache, then the notice (no webhook is registered).
    assert [getattr(c, "func", c).__name__ for c in callbacks] == [
        "drop_kept_answers",
        "send_notice",
    ]
    [notice] = mail.outbox
    assert sorted(notice.to) == ["agency@example.org", "auditor@example.org"]
    assert notice.subject == f"[fairrecruit] Kathmandu Fair Jobs: case {case.pk} — certified"


def test_a_refused_transition_sends_nothing(django_capture_on_commit_callbacks):
    world = World()
    case = world.case_in("draft")
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(TransitionNotAllowed):
        services.case_certify(actor=world.reviewer, case=case, rationale=RATIONALE)

    assert mail.outbox == []


def test_worker_costs_are_kept_as_items_and_read_back_exactly():
    world = World()
    case = world.open()
    fee = {
        "category": "medical",
        "amount": "50.125",
        "currency": "KWD",
        "borne_by": "worker",
        "route": "loan",
    }

    merged = services.self_assessment_save_answers(
        actor=world.agency_member, case=case, answers={**COMPLIANT, "C1.1-01": [fee]}
    )

    assert merged["C1.1-01"] == [{**fee, "amount": Decimal("50.125")}]
    assert list(
        WorkerCost.objects.values_list("category", "amount", "currency", "borne_by", "route")
    ) == [("medical", Decimal("50.125"), "KWD", "worker", "loan")]
    services.self_assessment_save_answers(
        actor=world.agency_member, case=case, answers={"C1.1-01": []}
    )
    assert not WorkerCost.objects.exists()
    services.self_assessment_save_answers(
        actor=world.agency_member, case=case, answers={"C1.1-01": None}
    )
    assert not Answer.objects.filter(question__code="C1.1-01").exists()


def test_answers_are_saved_whole_or_not_at_all():
    world = World()
    case = world.open()

    with pytest.raises(ValidationError) as caught:
        services.self_assessment_save_answers(
            actor=world.agency_member,
            case=case,
            answers={"A1-01": "yes", "C2.1-01": "perhaps", "Z9": "no"},
        )

    assert caught.value.messages == [
        "answers.C2.1-01: must be yes or no, not 'perhaps'",
        "answers.Z9: unknown question",
    ]
    assert not Answer.objects.exists()


def test_a_text_with_a_nul_character_is_refused_with_400_not_stored(api):
    world = World()
    case = world.open()
    api.force_authenticate(world.agency_member)

    response = api.patch(
        f"/api/v1/cases/{case.pk}/answers/",
        {"answers": {"A1-01": "yes", "C1.1-04": "no fee\u0000"}},
        format="json",
    )

    assert response.status_code == 400  # PostgreSQL cannot keep it in a JSON column: was 500
    assert [e["detail"] for e in response.json()["errors"]] == [
        "answers.C1.1-04: a text cannot contain NUL characters or lone surrogates"
    ]
    assert not Answer.objects.exists()


def test_a_long_text_is_refused_when_saved_and_one_kept_before_still_scores(api):
    world = World()
    case = world.open()
    api.force_authenticate(world.agency_member)
    url = f"/api/v1/cases/{case.pk}/answers/"

    too_long = api.patch(url, {"answers": {"C1.1-04": "x" * 20_001}}, format="json")
    Answer.objects.create(  # as an answer saved before the limit
        self_assessment=case.self_assessment,
        question=case.standard.questions.get(code="C1.1-04"),
        value="y" * 30_000,
        answered_by=world.agency_member,
    )
    other = api.patch(url, {"answers": {"A1-01": "yes"}}, format="json")

    assert [e["detail"] for e in too_long.json()["errors"]] == [
        "answers.C1.1-04: at most 20,000 characters"
    ]
    assert other.status_code == 200, other.content


@pytest.mark.parametrize("code", ["\ud800", "C" * 65, "A1-01\n"])
def test_an_answer_key_that_cannot_be_a_question_code_is_refused(api, code):
    world = World()
    case = world.open()
    api.force_authenticate(world.agency_member)

    response = api.generic(  # escaped JSON, as a client may send a lone surrogate
        "PATCH",
        f"/api/v1/cases/{case.pk}/answers/",
        json.dumps({"answers": {code: "yes"}}),
        content_type="application/json",
    )

    assert response.status_code == 400
    assert response.json()["errors"] == [
        {
            "code": "invalid",
            "detail": "Question codes are short printable texts.",
            "attr": "answers",
        }
    ]


def test_removing_an_answer_to_an_unknown_question_is_refused():
    world = World()
    case = world.open()

    with pytest.raises(ValidationError) as caught:
        services.self_assessment_save_answers(
            actor=world.agency_member, case=case, answers={"Z9": None}
        )

    assert caught.value.messages == ["answers.Z9: unknown question"]


def test_a_notice_is_written_in_the_language_of_the_case(django_capture_on_commit_callbacks):
    world = World()
    case = world.case_in("in_review")
    case.language = "fr"
    case.save(update_fields=["language"])
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.case_certify(actor=world.reviewer, case=case, rationale=RATIONALE)

    [notice] = mail.outbox
    assert notice.subject == f"[fairrecruit] Kathmandu Fair Jobs : dossier {case.pk} — certifié"
    assert notice.body.splitlines()[0] == (
        f"Le dossier {case.pk} de Kathmandu Fair Jobs passe à l'état « certifiée »."
    )
    assert (
        notice.body.splitlines()[-1] == f"Voir le dossier : http://127.0.0.1:8000/cases/{case.pk}/"
    )


@pytest.mark.django_db(transaction=True)  # the worker runs as in production, on commits
def test_notices_are_background_tasks_written_by_the_worker(settings):
    from django_tasks_db.models import DBTaskResult

    from tests.api.receiver import run_worker

    settings.NOTICE_TASK_BACKEND = "default"  # as in production: the database queue
    world = World()
    case = world.case_in("in_review")
    DBTaskResult.objects.all().delete()
    mail.outbox.clear()

    services.case_certify(actor=world.reviewer, case=case, rationale=RATIONALE)

    assert mail.outbox == []  # nothing written in the request
    assert DBTaskResult.objects.filter(task_path="certification.tasks.deliver_notice").count() == 1
    run_worker()
    [notice] = mail.outbox
    assert notice.subject == f"[fairrecruit] Kathmandu Fair Jobs: case {case.pk} — certified"
