"""Who may open which page: every page of the web interface for every role. A page added
without a row here fails the last test. 302 is the sign-in page, 404 what anyone sees of
a case, corrective action, webhook or profile of another organisation."""

import pytest
from django.urls import URLPattern, reverse

from certification import services
from certification import urls as web_urls
from config import urls as config_urls
from tests.web.pages import ROLES, PageWorld

pytestmark = pytest.mark.django_db

OPEN = (200,) * 8
SIGNED_IN = (302, *(200,) * 7)


def _application(w):
    """An application to join, confirmed: in the reviewers' queue."""
    if not hasattr(w, "application"):
        from recruiters.applying import services as applying
        from tests.api.matrix_world import joining

        w.application = applying.application_submit(joining("pages@join.example"))
        applying.application_confirm(applying.link_key(w.application))
    return w.application


def _body(w):
    return w.cases["certified"].certificate.credentials.get().key.certification_body


def _case(state):
    return lambda w, name: reverse(name, args=[w.cases[state].pk])


def _appeal(w, name):
    """An appeal of the certified case's suspension, made the first time a row asks."""
    if not hasattr(w, "appeal"):
        case = w.cases["certified"]
        services.case_suspend(actor=w.reviewer, case=case, reason="Complaint.")
        w.appeal = services.appeal_lodge(actor=w.agency_member, case=case, grounds="Wrong.")
    return reverse(name, args=[w.appeal.pk])


def _survey(w, name):
    """A worker survey page of a fresh card's code, one per call (a code answers once)."""
    if not hasattr(w, "survey_standard"):
        from tests.monitoring.survey_helpers import load_reference_survey

        w.survey_standard = load_reference_survey()
    from monitoring.surveys import survey_batch_issue

    _batch, (code,) = survey_batch_issue(
        actor=w.reviewer, agency=w.cases["draft"].agency, count=1, standard=w.survey_standard
    )
    return reverse(name, args=[code])


MATRIX = {
    # name: (url builder, statuses in ROLES order)
    "web:home": (lambda w, n: reverse(n), OPEN),
    "web:registry": (lambda w, n: reverse(n) + "?status=certified&country=np", OPEN),
    "web:agency": (lambda w, n: reverse(n, args=[w.cases["certified"].agency.public_id]), OPEN),
    "web:verify": (lambda w, n: reverse(n), OPEN),
    "web:verify-certificate": (
        lambda w, n: (
            reverse(n, args=[w.cases["certified"].certificate.number])
            + "?code="
            + w.cases["certified"].certificate.verification_code
        ),
        OPEN,
    ),
    # Complaints: anyone files and follows one; reviewers alone read them, others get 404
    # whether signed in or not (the pages do not say they exist).
    # What a verifier downloads: the issuer's DID document and status lists.
    "web:body-did": (lambda w, n: reverse(n, args=[_body(w).slug]), OPEN),
    "web:body-status-list": (
        lambda w, n: reverse(n, args=[_body(w).slug, 1, "suspension"]),
        OPEN,
    ),
    "web:complaint-new": (lambda w, n: reverse(n), OPEN),
    "web:complaint-receipt": (lambda w, n: reverse(n), OPEN),
    "web:complaint-follow": (lambda w, n: reverse(n), OPEN),
    "web:news": (lambda w, n: reverse(n), OPEN),
    "web:review-complaints": (lambda w, n: reverse(n), (404, 404, 404, 404, 404, 200, 404, 404)),
    "web:review-complaint": (
        lambda w, n: reverse(n, args=[w.complaint.number]),
        (404, 404, 404, 404, 404, 200, 404, 404),
    ),
    "web:review-complaint-file": (
        lambda w, n: reverse(n, args=[w.complaint.number, w.complaint.files.get().pk]),
        (404, 404, 404, 404, 404, 200, 404, 404),
    ),
    # The worker survey: anyone with a card's code, signed in or not.
    "web:survey": (_survey, OPEN),
    "web:survey-language": (_survey, OPEN),
    "web:survey-thanks": (lambda w, n: reverse(n), OPEN),
    "web:dashboard": (lambda w, n: reverse(n), SIGNED_IN),
    # Reviewers read an agency's profile, its pending change of identity and its history.
    "web:agency-profile": (
        lambda w, n: reverse(n, args=[w.cases["draft"].agency.public_id]),
        (302, 200, 404, 404, 404, 200, 404, 404),
    ),
    # An agency's worker survey: reviewers and the agency's auditor; the agency reads its
    # counts on its case page, never this page (404).
    "web:agency-surveys": (
        lambda w, n: reverse(n, args=[w.cases["auditing"].agency.public_id]),
        (302, 404, 404, 200, 404, 200, 404, 404),
    ),
    "web:case": (_case("auditing"), (302, 200, 404, 200, 404, 200, 404, 404)),
    # Appeals: the case's agency's members and reviewers; its auditors too get 404.
    "web:case-appeals": (_case("certified"), (302, 200, 404, 404, 404, 200, 404, 404)),
    "web:review-appeals": (lambda w, n: reverse(n), (302, 404, 404, 404, 404, 200, 404, 404)),
    "web:review-appeal": (_appeal, (302, 404, 404, 404, 404, 200, 404, 404)),
    # Reviewers read the agency's answers (issue 13: the decision on the whole record).
    "web:self-assessment": (_case("draft"), (302, 200, 404, 404, 404, 200, 404, 404)),
    "web:self-assessment-principle": (
        lambda w, n: reverse(n, args=[w.cases["draft"].pk, "C1"]),
        (302, 200, 404, 404, 404, 200, 404, 404),
    ),
    "web:self-assessment-preview": (_case("draft"), (302, 200, 404, 404, 404, 200, 404, 404)),
    "web:workbook": (_case("draft"), (302, 200, 404, 404, 404, 404, 404, 404)),
    "web:audit": (_case("auditing"), (302, 404, 404, 200, 404, 404, 404, 404)),
    "web:corrective-action": (
        lambda w, n: reverse(n, args=[w.action.pk]),
        (302, 200, 404, 200, 404, 200, 404, 404),
    ),
    "web:review-queue": (lambda w, n: reverse(n), (302, 404, 404, 404, 404, 200, 404, 404)),
    # Applying to join: anyone applies; the link's page needs its key (400 without);
    # reviewers alone read the applications.
    "web:join": (lambda w, n: reverse(n, args=["agency"]), OPEN),
    "web:join-follow": (lambda w, n: reverse(n), (400,) * 8),
    "web:review-applications": (
        lambda w, n: reverse(n),
        (302, 404, 404, 404, 404, 200, 404, 404),
    ),
    "web:review-application": (
        lambda w, n: reverse(n, args=[_application(w).public_id]),
        (302, 404, 404, 404, 404, 200, 404, 404),
    ),
    "web:identity-changes": (lambda w, n: reverse(n), (302, 404, 404, 404, 404, 200, 404, 404)),
    "web:audits": (lambda w, n: reverse(n), (302, 404, 404, 200, 200, 404, 404, 404)),
    "web:watchlist": (lambda w, n: reverse(n), (302, 404, 404, 404, 404, 404, 200, 200)),
    "web:supplier-check": (lambda w, n: reverse(n), (302, 404, 404, 404, 404, 404, 200, 200)),
    "web:api-keys": (lambda w, n: reverse(n), (302, 404, 404, 404, 404, 404, 200, 200)),
    "web:webhooks": (lambda w, n: reverse(n), (302, 404, 404, 404, 404, 404, 200, 200)),
    "web:webhook-deliveries": (
        lambda w, n: reverse(n, args=[w.webhook.pk]),
        (302, 404, 404, 404, 404, 404, 200, 404),
    ),
    # A person's own pages (config/urls.py, outside the web namespace): anyone signed in.
    "account-settings": (lambda w, n: reverse(n), SIGNED_IN),
    "two-factor": (lambda w, n: reverse(n), SIGNED_IN),
    # The code's page opens only between the password and the code: sign-in page for all.
    "login-code": (lambda w, n: reverse(n), (302,) * 8),
    # The admin's sign-in (the site's steps in the admin's look): its form for anyone (a
    # signed-in person who is not staff is told there, never sent round in a loop).
    "admin-login": (lambda w, n: reverse(n), OPEN),
    # An organisation's colleagues: its members (agencies and employers) only.
    "members": (lambda w, n: reverse(n), (302, 200, 200, 404, 404, 404, 200, 200)),
    # An invitation without a valid key, and the objection window (off by default): 404.
    "invitation": (lambda w, n: reverse(n), (404,) * 8),
    "objections": (lambda w, n: reverse(n), (404,) * 8),
    "objection": (lambda w, n: reverse(n, args=[_application(w).public_id]), (404,) * 8),
}

# Pages of config/urls.py outside the web namespace that no row tests here: Django's own
# sign-in and password-reset pages (tests/web/test_accounts_and_security.py) and the probe.
UNTESTED_HERE = {
    "login",
    "logout",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "healthz",
}

# Pages that only take a POST: a GET is refused (405) once signed in; other organisations'
# objects are 404 on POST too.
POST_ONLY = {
    # Number and code come in the body; a GET has neither (405 for everyone).
    "web:complaint-follow-message": (lambda w, n: reverse(n), (405,) * 8),
    # A reviewer's actions on a complaint: posted to, never opened.
    "web:review-complaint-transition": (
        lambda w, n: reverse(n, args=[w.complaint.number, "acknowledge"]),
        (405,) * 8,
    ),
    "web:review-complaint-write": (lambda w, n: reverse(n, args=[w.complaint.number]), (405,) * 8),
    "web:review-complaint-link": (lambda w, n: reverse(n, args=[w.complaint.number]), (405,) * 8),
    "web:review-complaint-special-audit": (
        lambda w, n: reverse(n, args=[w.complaint.number]),
        (405,) * 8,
    ),
    "web:review-complaint-consequence": (
        lambda w, n: reverse(n, args=[w.complaint.number, "suspend"]),
        (405,) * 8,
    ),
    "web:case-open": (lambda w, n: reverse(n), (302, 405, 405, 405, 405, 405, 405, 405)),
    "web:case-transition": (
        lambda w, n: reverse(n, args=[w.cases["submitted"].pk, "cancel"]),
        (302, 405, 405, 405, 405, 405, 405, 405),
    ),
    "web:self-assessment-evidence": (_case("draft"), (302, 405, 405, 405, 405, 405, 405, 405)),
    "web:self-assessment-evidence-take-back": (
        lambda w, n: reverse(n, args=[w.cases["draft"].pk, w.evidence.pk]),
        (302, 405, 405, 405, 405, 405, 405, 405),
    ),
    "web:identity-change-decide": (
        lambda w, n: reverse(n, args=[1, "approve"]),
        (302, 405, 405, 405, 405, 405, 405, 405),
    ),
    "web:finding-evidence": (_case("auditing"), (302, 405, 405, 405, 405, 405, 405, 405)),
    "web:join-link": (lambda w, n: reverse(n), (405,) * 8),
    "web:review-application-step": (
        lambda w, n: reverse(n, args=[_application(w).public_id, "accept"]),
        (302, 405, 405, 405, 405, 405, 405, 405),
    ),
    "web:agency-link-review": (
        lambda w, n: reverse(n, args=[w.cases["certified"].agency.public_id]),
        (302, 405, 405, 405, 405, 405, 405, 405),
    ),
    "web:application-link-review": (
        lambda w, n: reverse(n, args=[_application(w).public_id]),
        (302, 405, 405, 405, 405, 405, 405, 405),
    ),
    "web:audit-step": (
        lambda w, n: reverse(n, args=[w.cases["auditing"].pk, "complete"]),
        (302, 405, 405, 405, 405, 405, 405, 405),
    ),
}

POSTED = {
    # An administrator's action on the colleagues' page (here a bad e-mail: 400); only
    # members of an agency or employer have the page.
    "members": (lambda w, n: reverse(n), (302, 400, 400, 404, 404, 404, 400, 400)),
    # The worker survey takes anyone's post (here a bad answer, a language it lacks: 400).
    "web:survey": (_survey, (400,) * 8),
    "web:survey-language": (_survey, (400,) * 8),
    # A complaint's handling: reviewers only; everyone else, signed in or not, gets 404.
    "web:review-complaint-write": (
        lambda w, n: reverse(n, args=[w.complaint.number]),
        (404, 404, 404, 404, 404, 302, 404, 404),
    ),
    "web:review-complaint-transition": (
        lambda w, n: reverse(n, args=[w.complaint.number, "acknowledge"]),
        (404, 404, 404, 404, 404, 302, 404, 404),
    ),
    "web:review-complaint-link": (
        lambda w, n: reverse(n, args=[w.complaint.number]),
        (404, 404, 404, 404, 404, 302, 404, 404),
    ),
    # Consequences need a substantiated complaint: the reviewer is told so (409), others 404.
    "web:review-complaint-special-audit": (
        lambda w, n: reverse(n, args=[w.complaint.number]),
        (404, 404, 404, 404, 404, 400, 404, 404),
    ),
    "web:review-complaint-consequence": (
        lambda w, n: reverse(n, args=[w.complaint.number, "suspend"]),
        (404, 404, 404, 404, 404, 409, 404, 404),
    ),
    # The same pages posted to by everyone: only the case's own people get past the 404.
    "web:case-transition": (
        lambda w, n: reverse(n, args=[w.cases["submitted"].pk, "cancel"]),
        (302, 302, 404, 404, 404, 302, 404, 404),
    ),
    "web:self-assessment-evidence": (_case("draft"), (302, 302, 404, 404, 404, 404, 404, 404)),
    # The agency takes its evidence back (removed, then nobody else finds it).
    "web:self-assessment-evidence-take-back": (
        lambda w, n: reverse(n, args=[w.cases["draft"].pk, w.evidence.pk]),
        (302, 302, 404, 404, 404, 404, 404, 404),
    ),
    # The agency's appeal of a certified case: refused on the page (409); others 404.
    "web:case-appeals": (_case("certified"), (302, 409, 404, 404, 404, 404, 404, 404)),
    # The reviewer who suspended answers: refused on the page (403); others 404.
    "web:review-appeal": (_appeal, (302, 404, 404, 404, 404, 403, 404, 404)),
    # A decision on a match of an application's link check: reviewers only (nothing
    # chosen here: 400 with the reasons on the page); everyone else 404.
    "web:application-link-review": (
        lambda w, n: reverse(n, args=[_application(w).public_id]),
        (302, 404, 404, 404, 404, 400, 404, 404),
    ),
    "web:finding-evidence": (_case("auditing"), (302, 404, 404, 302, 404, 404, 404, 404)),
    "web:audit-step": (
        lambda w, n: reverse(n, args=[w.cases["auditing"].pk, "start"]),
        (302, 404, 404, 302, 404, 404, 404, 404),
    ),
    "web:webhooks": (
        # the other employer's webhook: theirs to delete (302), 404 for the employer member
        lambda w, n: reverse("web:webhooks"),
        (302, 404, 404, 404, 404, 404, 404, 302),
    ),
}


@pytest.fixture
def pages():
    return PageWorld()


def _statuses(pages, method, builder, name, data=None):
    out = []
    for role in ROLES:
        client = pages.client_for(role)
        url = builder(pages, name)
        response = getattr(client, method)(url, data or {})
        out.append(response.status_code)
        if response.status_code == 302 and role == "anonymous":
            assert response["Location"].startswith("/accounts/login/"), (name, response["Location"])
    return tuple(out)


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_who_may_open_each_page(pages, name):
    builder, expected = MATRIX[name]
    assert _statuses(pages, "get", builder, name) == expected


@pytest.mark.parametrize("name", sorted(POST_ONLY))
def test_post_only_pages_refuse_a_get(pages, name):
    builder, expected = POST_ONLY[name]
    assert _statuses(pages, "get", builder, name) == expected


@pytest.mark.parametrize("name", sorted(POSTED))
def test_who_may_post_to_a_case_page(pages, name):
    builder, expected = POSTED[name]
    data = {
        "web:webhooks": {"delete": str(pages.other_webhook.pk)},
        "members": {"action": "invite", "email": "not-an-email"},
        "web:survey": {"language": "en", "WS-PAID": "perhaps"},
        "web:survey-language": {"language": "xx"},
        "web:self-assessment-evidence": {"question": "A1-01"},
        "web:finding-evidence": {"criterion": "A1"},
        "web:case-transition": {"cancel-understood": "on"},
        "web:review-complaint-write": {"write-direction": "internal", "write-text": "Seen."},
        "web:review-complaint-transition": {"acknowledge-message": "We received it."},
        "web:review-complaint-link": {"link-case": ""},
        "web:review-complaint-special-audit": {"special-audit-stage1_date": "2026-12-01"},
        "web:review-complaint-consequence": {"suspend-reason": "Fees taken."},
        "web:case-appeals": {"grounds": "The decision is wrong."},
        "web:review-appeal": {
            "outcome": "upheld",
            "rationale": "The decision rests on what the audit found on site.",
        },
    }.get(name, {})
    assert _statuses(pages, "post", builder, name, data) == expected


def test_every_page_has_a_row():
    names = {
        f"web:{pattern.name}" for pattern in web_urls.urlpatterns if isinstance(pattern, URLPattern)
    }
    assert names - set(MATRIX) - set(POST_ONLY) == set()
    outside = {
        pattern.name
        for pattern in [*config_urls.urlpatterns, *config_urls.accounts]
        if isinstance(pattern, URLPattern) and pattern.name
    }
    assert outside - UNTESTED_HERE - set(MATRIX) == set()
