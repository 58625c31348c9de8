"""The agency's self-assessment forms (issue 19): adding evidence saves the answers typed
first; evidence is removed or replaced while the case is a draft, logged; the question
picker shows the question's text; every principle has "save and preview"; the
worker-costs table gets a row at a time without JavaScript; answers that can no longer
change look it."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from audits.models import Evidence, EvidenceRemoval
from audits.selectors import engine_answers
from certification import services
from tests.certification.world import COMPLIANT, World
from tests.web.conftest import messages_of, signed_in
from tests.web.pages import pdf_upload
from tests.web.test_agency_pages import costs_management

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return World()


def test_adding_evidence_saves_the_answers_typed_first(world):
    case = world.case_in("draft")
    client = signed_in(world.agency_member)
    answer = client.post(
        f"/cases/{case.pk}/self-assessment/A/",
        {"A1-01": "yes", "upload": "1", "question": "A1-01", "file": pdf_upload("licence.pdf")},
    )
    assert answer.status_code == 302
    assert answer["Location"] == f"/cases/{case.pk}/self-assessment/A/#q-a1-01"
    case.refresh_from_db()
    assert engine_answers(case.self_assessment)["A1-01"] == "yes"
    assert list(Evidence.objects.values_list("original_name", "answer__question__code")) == [
        ("licence.pdf", "A1-01")
    ]
    page = client.get(answer["Location"])
    assert messages_of(page) == ["Your answers are saved as a draft.", "Evidence added to A1-01."]


def test_a_file_for_a_question_left_unanswered_is_not_added_but_the_answers_are_saved(world):
    case = world.case_in("draft")
    client = signed_in(world.agency_member)
    answer = client.post(
        f"/cases/{case.pk}/self-assessment/C1/",
        {
            **costs_management(),
            "C1.1-02": "none",
            "upload": "1",
            "question": "C1.1-04",
            "file": pdf_upload(),
        },
        follow=True,
    )
    assert messages_of(answer) == [
        "Your answers are saved as a draft.",
        "Answer question C1.1-04 before adding evidence to it.",
    ]
    case.refresh_from_db()
    assert engine_answers(case.self_assessment)["C1.1-02"] == "none"
    assert not Evidence.objects.exists()


def test_with_answers_to_correct_neither_the_answers_nor_the_file_are_kept_and_it_says_so(world):
    case = world.case_in("draft")
    client = signed_in(world.agency_member)
    answer = client.post(
        f"/cases/{case.pk}/self-assessment/C1/",
        {
            **costs_management(rows=1),
            "C1.1-01": "listed",
            "costs-C1-1-01-0-category": "medical",  # the other columns missing
            "upload": "1",
            "question": "C1.1-01",
            "file": pdf_upload(),
        },
    )
    assert answer.status_code == 400
    assert (
        "The file was not added: correct the answers marked below, then choose it again."
        in messages_of(answer)
    )
    assert not Evidence.objects.exists()


def _with_evidence(world, client, name="licence.pdf"):
    case = world.case_in("draft")
    client.post(
        f"/cases/{case.pk}/self-assessment/A/",
        {"A1-01": "yes", "upload": "1", "question": "A1-01", "file": pdf_upload(name)},
    )
    return case, Evidence.objects.get()


def test_evidence_is_removed_while_a_draft_and_the_removal_logged(
    world, django_capture_on_commit_callbacks
):
    client = signed_in(world.agency_member)
    case, evidence = _with_evidence(world, client)
    stored, storage = evidence.file.name, evidence.file.storage
    page = client.get(f"/cases/{case.pk}/self-assessment/A/").content.decode()
    assert f'form="take-back-{evidence.pk}"' in page and f'id="replace-{evidence.pk}"' in page
    with django_capture_on_commit_callbacks(execute=True):
        removed = client.post(
            f"/cases/{case.pk}/self-assessment/evidence/{evidence.pk}/take-back/", follow=True
        )
    assert messages_of(removed)[-1] == "licence.pdf is removed."
    assert not Evidence.objects.exists()
    assert not storage.exists(stored)
    (log,) = EvidenceRemoval.objects.all()
    assert (log.case, log.question_code, log.kind, log.original_name, log.sha256, log.actor) == (
        case,
        "A1-01",
        "removed",
        "licence.pdf",
        evidence.sha256,
        world.agency_member,
    )


def test_evidence_is_replaced_while_a_draft(world):
    client = signed_in(world.agency_member)
    case, evidence = _with_evidence(world, client, "old.pdf")
    replaced = client.post(
        f"/cases/{case.pk}/self-assessment/evidence/{evidence.pk}/take-back/",
        {"replace": "1", "file": pdf_upload("new.pdf")},
        follow=True,
    )
    assert messages_of(replaced)[-1] == "old.pdf is replaced."
    assert list(Evidence.objects.values_list("original_name", "answer__question__code")) == [
        ("new.pdf", "A1-01")
    ]
    log = EvidenceRemoval.objects.get()
    assert (log.kind, log.original_name, log.replacement_name) == ("replaced", "old.pdf", "new.pdf")
    # a replacement of a type refused: nothing changes
    refused = client.post(
        f"/cases/{case.pk}/self-assessment/evidence/{Evidence.objects.get().pk}/take-back/",
        {"replace": "1", "file": SimpleUploadedFile("x.exe", b"MZ\x90\x00binary")},
        follow=True,
    )
    assert messages_of(refused)[-1].startswith("Only ")
    assert list(Evidence.objects.values_list("original_name", flat=True)) == ["new.pdf"]
    assert EvidenceRemoval.objects.count() == 1


def test_submitted_evidence_stays_and_another_agency_s_is_not_found(world):
    client = signed_in(world.agency_member)
    case, evidence = _with_evidence(world, client)
    services.self_assessment_save_answers(
        actor=world.agency_member, case=case, answers=dict(COMPLIANT)
    )
    services.case_submit(actor=world.agency_member, case=case)
    refused = client.post(
        f"/cases/{case.pk}/self-assessment/evidence/{evidence.pk}/take-back/", follow=True
    )
    assert messages_of(refused)[-1] == (
        "the self-assessment is submitted: its evidence stays as it was submitted"
    )
    assert Evidence.objects.filter(pk=evidence.pk).exists()
    assert not EvidenceRemoval.objects.exists()
    outsider = signed_in(world.other_agency_member)
    assert (
        outsider.post(
            f"/cases/{case.pk}/self-assessment/evidence/{evidence.pk}/take-back/"
        ).status_code
        == 404
    )


def test_the_question_picker_shows_each_question_s_text(world):
    case = world.case_in("draft")
    page = signed_in(world.agency_member).get(f"/cases/{case.pk}/self-assessment/C1/")
    html = page.content.decode()
    question = case.standard.questions.get(code="C1.1-04")
    assert f'<option value="C1.1-04">C1.1-04 — {question.text_en[:40]}' in html


@pytest.mark.parametrize("principle", ["A", "C1"])
def test_every_principle_has_save_and_preview(world, principle):
    case = world.case_in("draft")
    client = signed_in(world.agency_member)
    assert (
        'name="preview"'
        in client.get(f"/cases/{case.pk}/self-assessment/{principle}/").content.decode()
    )
    data = {"A1-01": "yes"} if principle == "A" else costs_management()
    saved = client.post(f"/cases/{case.pk}/self-assessment/{principle}/", {**data, "preview": "1"})
    assert saved["Location"] == f"/cases/{case.pk}/self-assessment/preview/"


def test_a_row_is_added_to_the_worker_costs_without_javascript(world):
    case = world.case_in("draft")
    client = signed_in(world.agency_member)
    saved = client.post(
        f"/cases/{case.pk}/self-assessment/C1/",
        {
            **costs_management(rows=2),
            "C1.1-01": "listed",
            **{
                f"costs-C1-1-01-{i}-{name}": value
                for i in (0, 1)
                for name, value in (
                    ("category", "medical"),
                    ("amount", "50"),
                    ("currency", "usd"),
                    ("borne_by", "employer"),
                    ("route", "paid"),
                )
            },
            "more_rows": "C1.1-01",
        },
    )
    assert saved["Location"] == f"/cases/{case.pk}/self-assessment/C1/#q-c11-01"
    page = client.get(saved["Location"])
    formset = page.context["form"].cost_sets["C1.1-01"]
    assert len(formset.forms) == 4  # the two kept, and empty ones to fill
    assert 'data-add-row="costs-c11-01"' in page.content.decode()


def test_answers_that_can_no_longer_change_look_it(world):
    case = world.case_in("submitted")
    html = signed_in(world.agency_member).get(f"/cases/{case.pk}/self-assessment/A/").content
    html = html.decode()
    assert "The self-assessment is submitted: these answers can no longer change." in html
    assert 'class="read-only"' in html
    assert 'name="preview"' not in html and 'name="upload"' not in html
    reviewer = signed_in(world.reviewer).get(f"/cases/{case.pk}/self-assessment/A/")
    assert "The agency's answers, as given: for reading." in reviewer.content.decode()
