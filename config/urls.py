from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

from certification.api.appeals import AppealViewSet, CaseAppealsView
from certification.api.applications import (
    ApplicationAcceptView,
    ApplicationAnswerView,
    ApplicationAskView,
    ApplicationConfirmView,
    ApplicationDetailView,
    ApplicationFollowView,
    ApplicationLinkView,
    ApplicationRejectView,
    ApplicationsView,
)
from certification.api.audits import AuditorViewSet, CorrectiveActionViewSet, EvidenceViewSet
from certification.api.cases import CaseViewSet, ReviewQueueViewSet
from certification.api.complaints import (
    ComplaintFollowMessageView,
    ComplaintFollowView,
    ComplaintViewSet,
)
from certification.api.credentials import CertificateCredentialView, CredentialPdfView
from certification.api.employers import (
    AgencyStatusView,
    CertificateVerifyView,
    RegistryExportView,
    RegistryView,
)
from certification.api.identity import (
    AgencyHistoryView,
    AgencyIdentityChangesView,
    AgencyProfileViewSet,
    IdentityChangeViewSet,
)
from certification.api.links import (
    AgencyLinkReviewsView,
    AgencyLinksView,
    ApplicationLinkReviewsView,
)
from certification.api.supplier_checks import SupplierCheckExportView, SupplierCheckView
from certification.api.survey_batches import (
    AgencySurveyBatchesView,
    AgencySurveySummaryView,
    SurveyBatchCardsView,
)
from certification.api.surveys import SurveyView
from certification.api.watchlists import AgencyWatchersView, WatchlistViewSet, WebhookViewSet
from certification.views import objections as objection_views
from config import public_reads
from config.api import unknown_api_url
from config.health import healthz
from recruiters import account_views, member_views
from recruiters.api import (
    EmployerKeyViewSet,
    MeView,
    PersonalTokenViewSet,
    TokenCreateView,
)

admin.site.site_header = settings.ADMIN_SITE_HEADER
admin.site.site_title = settings.ADMIN_SITE_HEADER

router = SimpleRouter()
router.register("auth/tokens", PersonalTokenViewSet, basename="token")
router.register("employer-keys", EmployerKeyViewSet, basename="employer-key")
router.register("cases", CaseViewSet, basename="case")
router.register("review-queue", ReviewQueueViewSet, basename="review-queue")
router.register("corrective-actions", CorrectiveActionViewSet, basename="corrective-action")
router.register("evidence", EvidenceViewSet, basename="evidence")
router.register("auditors", AuditorViewSet, basename="auditor")
router.register("agencies", AgencyProfileViewSet, basename="agency")
router.register("identity-changes", IdentityChangeViewSet, basename="identity-change")
router.register("watchlist", WatchlistViewSet, basename="watchlist")
router.register("webhooks", WebhookViewSet, basename="webhook")
router.register("complaints", ComplaintViewSet, basename="complaint")
router.register("appeals", AppealViewSet, basename="appeal")

api_v1 = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    path("auth/token/", TokenCreateView.as_view(), name="token-create"),
    path("me/", MeView.as_view(), name="me"),
    # The reads employers poll: a lean path first (config/public_reads.py), then the view.
    path(
        "registry/",
        public_reads.lean(RegistryView.as_view(), public_reads.registry),
        name="registry",
    ),
    path("registry/export/", RegistryExportView.as_view(), name="registry-export"),
    path(
        "agencies/<uuid:public_id>/status/",
        public_reads.lean(AgencyStatusView.as_view(), public_reads.agency_status),
        name="agency-status",
    ),
    path(
        "certificates/<str:number>/verify/",
        public_reads.lean(CertificateVerifyView.as_view(), public_reads.certificate_verification),
        name="certificate-verify",
    ),
    path(
        "certificates/<str:number>/credential/",
        CertificateCredentialView.as_view(),
        name="certificate-credential",
    ),
    path("credentials/<uuid:public_id>/pdf/", CredentialPdfView.as_view(), name="credential-pdf"),
    # Before the router's complaints/{number}/: "follow" is no complaint's number.
    path("complaints/follow/", ComplaintFollowView.as_view(), name="complaint-follow"),
    path(
        "complaints/follow/messages/",
        ComplaintFollowMessageView.as_view(),
        name="complaint-follow-messages",
    ),
    path("supplier-checks/", SupplierCheckView.as_view(), name="supplier-checks"),
    path(
        "supplier-checks/export/", SupplierCheckExportView.as_view(), name="supplier-checks-export"
    ),
    path(
        "agencies/<uuid:public_id>/watchers/", AgencyWatchersView.as_view(), name="agency-watchers"
    ),
    path(
        "agencies/<uuid:public_id>/identity-changes/",
        AgencyIdentityChangesView.as_view(),
        name="agency-identity-changes",
    ),
    path("agencies/<uuid:public_id>/history/", AgencyHistoryView.as_view(), name="agency-history"),
    # Applying to join (issue 18 §1): anyone applies and follows; reviewers decide.
    path("applications/", ApplicationsView.as_view(), name="applications"),
    path("applications/confirm/", ApplicationConfirmView.as_view(), name="application-confirm"),
    path("applications/follow/", ApplicationFollowView.as_view(), name="application-follow"),
    path("applications/link/", ApplicationLinkView.as_view(), name="application-link"),
    path(
        "applications/follow/answer/",
        ApplicationAnswerView.as_view(),
        name="application-answer",
    ),
    path(
        "applications/<uuid:public_id>/",
        ApplicationDetailView.as_view(),
        name="application-detail",
    ),
    path(
        "applications/<uuid:public_id>/accept/",
        ApplicationAcceptView.as_view(),
        name="application-accept",
    ),
    path(
        "applications/<uuid:public_id>/ask/", ApplicationAskView.as_view(), name="application-ask"
    ),
    path(
        "applications/<uuid:public_id>/links/reviews/",
        ApplicationLinkReviewsView.as_view(),
        name="application-link-reviews",
    ),
    path(
        "applications/<uuid:public_id>/reject/",
        ApplicationRejectView.as_view(),
        name="application-reject",
    ),
    path("agencies/<uuid:public_id>/links/", AgencyLinksView.as_view(), name="agency-links"),
    path(
        "agencies/<uuid:public_id>/links/reviews/",
        AgencyLinkReviewsView.as_view(),
        name="agency-link-reviews",
    ),
    # An agency's worker survey, the scheme's side (issue 15): batches, cards, summary.
    path(
        "agencies/<uuid:public_id>/survey-batches/",
        AgencySurveyBatchesView.as_view(),
        name="agency-survey-batches",
    ),
    path(
        "agencies/<uuid:public_id>/survey-summary/",
        AgencySurveySummaryView.as_view(),
        name="agency-survey-summary",
    ),
    path(
        "survey-batches/<uuid:public_id>/cards/",
        SurveyBatchCardsView.as_view(),
        name="survey-batch-cards",
    ),
    # The worker survey with a card's code (issue 15 §2): anyone, no account.
    path("surveys/<str:code>/", SurveyView.as_view(), name="survey"),
    re_path(r"^cases/(?P<pk>[0-9]+)/appeals/$", CaseAppealsView.as_view(), name="case-appeals"),
    *router.urls,
]

accounts = [
    path("login/", account_views.SignInView.as_view(), name="login"),
    path("login/code/", account_views.sign_in_code, name="login-code"),
    path("two-factor/", account_views.two_factor_page, name="two-factor"),
    path("settings/", account_views.account_settings, name="account-settings"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password-reset/",
        auth_views.PasswordResetView.as_view(
            email_template_name="registration/password_reset_email.txt"
        ),
        name="password_reset",
    ),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password-reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("accounts/", include(accounts)),
    path("organisation/members/", member_views.members, name="members"),
    path("join/invitation/", member_views.invitation, name="invitation"),
    path("join/objections/", objection_views.objections, name="objections"),
    path("join/objections/<uuid:public_id>/", objection_views.objection, name="objection"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include(("certification.urls", "web"))),
    # The admin signs in through the site's sign-in (password, then the second factor).
    path("admin/login/", account_views.AdminSignInView.as_view(), name="admin-login"),
    path("admin/", admin.site.urls),
    path("api/v1/", include((api_v1, "api"))),
    re_path(r"^api/", unknown_api_url),  # last: whatever no route above takes
]

handler403 = "config.api.forbidden"
handler404 = "config.api.not_found"
handler500 = "config.api.server_error"
