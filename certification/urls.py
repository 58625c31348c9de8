"""Web pages (namespace "web"); the API lives under /api/v1/ (config/urls.py)."""

from django.urls import path

from certification.views import (
    appeals,
    applications,
    assessment,
    auditing,
    cases,
    complaints,
    credentials,
    employers,
    identity,
    public,
    survey_batches,
    surveys,
)
from recruiters import views as party_views

urlpatterns = [
    path("", public.home, name="home"),
    path("registry/", public.registry, name="registry"),
    path("agencies/<uuid:public_id>/", public.agency_page, name="agency"),
    path("verify/", public.verify, name="verify"),
    path("verify/<str:number>/", public.verify, name="verify-certificate"),
    # did:web:<host>:bodies:<slug> and the body's status lists (docs/credentials.md).
    path("bodies/<slug:slug>/did.json", credentials.did_document, name="body-did"),
    path(
        "bodies/<slug:slug>/status/<int:number>/<str:purpose>/",
        credentials.status_list,
        name="body-status-list",
    ),
    # The worker survey (issue 15): a card's code, a language, the questions, thanks. The
    # thanks page first: no code is "thanks" (a code has 12 characters, and no U).
    path("s/thanks/", surveys.survey_thanks, name="survey-thanks"),
    path("s/<str:code>/", surveys.survey, name="survey"),
    path("s/<str:code>/language/", surveys.survey_language, name="survey-language"),
    path("complaints/new/", complaints.complaint_new, name="complaint-new"),
    path("complaints/receipt/", complaints.complaint_receipt, name="complaint-receipt"),
    path("complaints/follow/", complaints.complaint_follow, name="complaint-follow"),
    # The same page under a neutral address, the one e-mails give: an inbox may be shared.
    path("news/", complaints.complaint_follow, name="news"),
    path(
        "complaints/follow/messages/",
        complaints.complaint_follow_message,
        name="complaint-follow-message",
    ),
    path("review/complaints/", complaints.review_complaints, name="review-complaints"),
    path("review/complaints/<str:number>/", complaints.review_complaint, name="review-complaint"),
    path(
        "review/complaints/<str:number>/transitions/<slug:name>/",
        complaints.review_complaint_transition,
        name="review-complaint-transition",
    ),
    path(
        "review/complaints/<str:number>/messages/",
        complaints.review_complaint_write,
        name="review-complaint-write",
    ),
    path(
        "review/complaints/<str:number>/link/",
        complaints.review_complaint_link,
        name="review-complaint-link",
    ),
    path(
        "review/complaints/<str:number>/special-audit/",
        complaints.review_complaint_special_audit,
        name="review-complaint-special-audit",
    ),
    path(
        "review/complaints/<str:number>/consequences/<slug:name>/",
        complaints.review_complaint_consequence,
        name="review-complaint-consequence",
    ),
    path(
        "review/complaints/<str:number>/files/<int:pk>/",
        complaints.review_complaint_file,
        name="review-complaint-file",
    ),
    path("dashboard/", cases.dashboard, name="dashboard"),
    path("agencies/<uuid:public_id>/profile/", identity.agency_profile, name="agency-profile"),
    path(
        "agencies/<uuid:public_id>/surveys/", survey_batches.agency_surveys, name="agency-surveys"
    ),
    path("cases/open/", cases.case_open, name="case-open"),
    path("cases/<int:pk>/", cases.case_detail, name="case"),
    path("cases/<int:pk>/transitions/<slug:name>/", cases.case_transition, name="case-transition"),
    path("cases/<int:pk>/self-assessment/", assessment.self_assessment, name="self-assessment"),
    path(
        "cases/<int:pk>/self-assessment/preview/",
        assessment.self_assessment_preview,
        name="self-assessment-preview",
    ),
    path(
        "cases/<int:pk>/self-assessment/evidence/",
        assessment.self_assessment_evidence,
        name="self-assessment-evidence",
    ),
    path(
        "cases/<int:pk>/self-assessment/evidence/<int:evidence>/take-back/",
        assessment.self_assessment_evidence_take_back,
        name="self-assessment-evidence-take-back",
    ),
    path(
        "cases/<int:pk>/self-assessment/<str:principle>/",
        assessment.self_assessment_principle,
        name="self-assessment-principle",
    ),
    path("cases/<int:pk>/workbook/", assessment.workbook, name="workbook"),
    path("cases/<int:pk>/appeals/", appeals.case_appeals, name="case-appeals"),
    path("cases/<int:pk>/audit/", auditing.audit_page, name="audit"),
    path("cases/<int:pk>/audit/evidence/", auditing.finding_evidence, name="finding-evidence"),
    path("cases/<int:pk>/audit/<slug:step>/", auditing.audit_step, name="audit-step"),
    path("corrective-actions/<int:pk>/", auditing.corrective_action, name="corrective-action"),
    # Applying to join (issue 18 §1): anyone applies and follows; reviewers decide.
    path("join/follow/", applications.join_follow, name="join-follow"),
    path("join/link/", applications.join_link, name="join-link"),
    path("join/<str:kind>/", applications.join, name="join"),
    path("review/applications/", applications.review_applications, name="review-applications"),
    path(
        "review/applications/<uuid:public_id>/",
        applications.review_application,
        name="review-application",
    ),
    path(
        "review/applications/<uuid:public_id>/links/reviews/",
        applications.application_link_review,
        name="application-link-review",
    ),
    path(
        "review/applications/<uuid:public_id>/<str:step>/",
        applications.review_application_step,
        name="review-application-step",
    ),
    path("review/", cases.review_queue, name="review-queue"),
    path(
        "review/agencies/<uuid:public_id>/links/",
        cases.agency_link_review,
        name="agency-link-review",
    ),
    path("review/identity-changes/", identity.identity_changes, name="identity-changes"),
    path("review/appeals/", appeals.review_appeals, name="review-appeals"),
    path("review/appeals/<int:pk>/", appeals.review_appeal, name="review-appeal"),
    path(
        "review/identity-changes/<int:pk>/<slug:decision>/",
        identity.identity_change_decide,
        name="identity-change-decide",
    ),
    path("audits/", cases.auditor_audits, name="audits"),
    path("employer/watchlist/", employers.watchlist, name="watchlist"),
    path("employer/supplier-check/", employers.supplier_check_page, name="supplier-check"),
    path("employer/api-keys/", party_views.api_keys, name="api-keys"),
    path("employer/webhooks/", employers.webhooks, name="webhooks"),
    path("employer/webhooks/<int:pk>/", employers.webhook_deliveries, name="webhook-deliveries"),
]
