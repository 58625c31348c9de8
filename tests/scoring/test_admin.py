"""The standard in the admin: read-only once published; a draft's wording may be corrected."""

import pytest
from django.urls import reverse

from scoring.models import Criterion, Standard
from scoring.selectors import standard_spec_get
from scoring.services import standard_load
from scoring.standard_file import validate_standard
from tests.factories import UserFactory
from tests.scoring.standard_data import valid_standard

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    client.force_login(UserFactory(admin=True))
    return client


def load(status: str) -> Standard:
    data = valid_standard()
    data["status"] = status
    return standard_load(spec=validate_standard(data)).standard


def criterion_form(criterion: Criterion, **changes) -> dict:
    return {
        "text_en": criterion.text_en,
        "text_fr": criterion.text_fr,
        "weight": str(criterion.weight),
        "zero_tolerance": "on" if criterion.zero_tolerance else "",
        **changes,
    }


def test_a_published_standard_cannot_be_changed_in_the_admin(staff_client):
    load("published")
    criterion = Criterion.objects.get(code="A1")
    url = reverse("admin:scoring_criterion_change", args=[criterion.pk])

    page = staff_client.get(url)
    post = staff_client.post(url, criterion_form(criterion, weight="9"))

    assert page.status_code == 200
    assert page.context["has_change_permission"] is False
    assert post.status_code == 403
    criterion.refresh_from_db()
    assert criterion.weight == 2


def test_a_published_standard_cannot_be_deleted_or_added_in_the_admin(staff_client):
    standard = load("published")

    assert (
        staff_client.post(reverse("admin:scoring_standard_delete", args=[standard.pk])).status_code
        == 403
    )
    assert staff_client.get(reverse("admin:scoring_question_add")).status_code == 403
    assert Standard.objects.count() == 1


def test_editing_a_draft_keeps_its_fingerprint_true_to_its_content(staff_client):
    standard = load("draft")
    criterion = Criterion.objects.get(code="A1")

    response = staff_client.post(
        reverse("admin:scoring_criterion_change", args=[criterion.pk]),
        criterion_form(criterion, text_en="Holds every licence it needs."),
    )

    assert response.status_code == 302
    standard.refresh_from_db()
    content = standard_spec_get(standard=standard)
    assert content.principles[0].criteria[0].text.en == "Holds every licence it needs."
    assert standard.content_sha256 == content.content_sha256


def test_the_database_refuses_a_weight_of_zero_even_from_a_draft_edit(staff_client):
    load("draft")
    criterion = Criterion.objects.get(code="A1")

    response = staff_client.post(
        reverse("admin:scoring_criterion_change", args=[criterion.pk]),
        criterion_form(criterion, weight="0"),
    )

    assert response.status_code == 200
    assert "Constraint “criterion_weight_positive” is violated." in response.content.decode()
    criterion.refresh_from_db()
    assert criterion.weight == 2


def test_scheme_staff_read_the_worker_survey_in_the_admin_without_changing_it(staff_client):
    from scoring.models import SurveyQuestion
    from tests.scoring.standard_data import valid_survey_standard

    standard = standard_load(spec=validate_standard(valid_survey_standard())).standard  # draft
    question = SurveyQuestion.objects.get(code="WS-FOR")
    url = reverse("admin:scoring_surveyquestion_change", args=[question.pk])

    listing = staff_client.get(reverse("admin:scoring_surveyquestion_changelist"), {"q": "WS"})
    page = staff_client.get(url)
    staff_client.post(url, {"text": '{"en": "Changed"}'})

    assert listing.status_code == 200
    assert len(listing.context["cl"].result_list) == 5
    assert page.status_code == 200
    assert "Médical" in page.content.decode()  # the choices, inline
    question.refresh_from_db()
    assert question.text["en"] == "For what?"
    standard.refresh_from_db()
    assert standard.content_sha256 == standard_spec_get(standard=standard).content_sha256
