"""Scheme staff see each case whole here. The state machine owns states, events, decisions
and certificates: they are read-only; changes go through the services."""

from django.contrib import admin
from django.utils.html import format_html_join

from audits.models import Audit
from certification import transitions
from certification.models import (
    AgencyEvent,
    Appeal,
    AppealFile,
    Certificate,
    CertificateRevision,
    CertificationCase,
    Decision,
    IdentityChange,
    TransitionEvent,
)
from certification.selectors.links import agency_links
from recruiters.admin import AgencyAdmin

# The link check on the agency's admin page: recruiters, below certification, has the hook.
AgencyAdmin.links_of = staticmethod(agency_links)


class _ReadOnlyAdmin(admin.ModelAdmin):
    """Cases are opened and changed through the workflow's services only."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class _ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class TransitionEventInline(_ReadOnlyInline):
    model = TransitionEvent
    fields = [
        "created_at",
        "transition",
        "subject_type",
        "subject_id",
        "source",
        "target",
        "actor",
        "reason",
    ]
    readonly_fields = fields
    show_change_link = False


class DecisionInline(_ReadOnlyInline):
    model = Decision
    fields = ["decided_at", "outcome", "reviewer", "rationale"]
    readonly_fields = fields


class AuditInline(_ReadOnlyInline):
    model = Audit
    fields = ["kind", "state", "lead_auditor", "stage1_date", "stage2_date", "completed_at"]
    readonly_fields = fields


@admin.register(CertificationCase)
class CertificationCaseAdmin(_ReadOnlyAdmin):
    list_display = ["pk", "agency", "kind", "state", "standard", "assigned_auditor", "created_at"]
    list_filter = ["state", "kind", "standard"]
    search_fields = ["agency__name", "agency__registration_number", "=public_id"]
    list_select_related = ["agency", "standard", "assigned_auditor__user"]
    readonly_fields = [
        "public_id",
        "agency",
        "standard",
        "kind",
        "state",
        "assigned_auditor",
        "previous_case",
        "suspended_at",
        "created_at",
        "updated_at",
        "available_transitions",
        "findings_and_corrective_actions",
    ]
    fields = readonly_fields
    inlines = [AuditInline, DecisionInline, TransitionEventInline]

    @admin.display(description="findings and corrective actions")
    def findings_and_corrective_actions(self, obj):
        rows = []
        for audit in obj.audits.prefetch_related(
            "findings__criterion", "findings__corrective_action"
        ):
            for finding in audit.findings.all():
                if finding.grade == "conforming" and not finding.indicators:
                    continue
                action = getattr(finding, "corrective_action", None)
                rows.append(
                    (
                        f"{audit.get_kind_display()} audit {audit.pk}",
                        finding.criterion.code,
                        finding.effective_grade or finding.grade,
                        f"corrective action {action.state}, plan due {action.plan_due}"
                        if action
                        else "—",
                    )
                )
        if not rows:
            return "none beyond conforming findings"
        return format_html_join("", "<div>{}: {} {} ({})</div>", rows)

    @admin.display(description="available transitions, by who may fire them")
    def available_transitions(self, obj):
        by_role: dict[str, list[str]] = {}
        for transition in obj.get_available_state_transitions():
            for role in sorted(transitions.case_transition(transition.name).roles):
                by_role.setdefault(role.replace("_", " "), []).append(transition.name)
        if not by_role:
            return "none: the case is closed"
        return format_html_join(
            "; ",
            "{}: {}",
            [(role, ", ".join(sorted(names))) for role, names in sorted(by_role.items())],
        )


@admin.register(Certificate)
class CertificateAdmin(_ReadOnlyAdmin):
    list_display = ["number", "case", "issued_on", "valid_from", "valid_until", "status"]
    search_fields = ["number", "case__agency__name"]
    list_select_related = ["case__agency"]
    readonly_fields = [f.name for f in Certificate._meta.fields if f.name != "id"] + [
        "status",
        "scope",
    ]
    exclude = ["verification_code"]

    @admin.display(description="scope")
    def scope(self, obj):
        return format_html_join(", ", "{}", [(item,) for item in [*obj.corridors, *obj.sectors]])


@admin.register(TransitionEvent)
class TransitionEventAdmin(_ReadOnlyAdmin):
    list_display = ["created_at", "case", "transition", "source", "target", "actor"]
    list_filter = ["transition", "subject_type"]
    search_fields = ["case__agency__name", "reason"]
    list_select_related = ["case__agency", "actor"]


@admin.register(IdentityChange)
class IdentityChangeAdmin(_ReadOnlyAdmin):
    """Requests are decided on the reviewers' page (certification/services/identity.py)."""

    list_display = ["requested_at", "agency", "state", "requested_by", "decided_by"]
    list_filter = ["state"]
    search_fields = ["agency__name"]
    list_select_related = ["agency", "requested_by", "decided_by"]
    readonly_fields = [f.name for f in IdentityChange._meta.fields if f.name != "id"]


@admin.register(AgencyEvent)
class AgencyEventAdmin(_ReadOnlyAdmin):
    list_display = ["created_at", "agency", "kind", "actor"]
    list_filter = ["kind"]
    search_fields = ["agency__name", "reason"]
    list_select_related = ["agency", "actor"]


@admin.register(CertificateRevision)
class CertificateRevisionAdmin(_ReadOnlyAdmin):
    list_display = ["certificate", "revision", "agency_name", "issued_on", "superseded_at"]
    search_fields = ["certificate__number", "agency_name"]
    list_select_related = ["certificate"]


class AppealFileInline(_ReadOnlyInline):
    model = AppealFile
    fields = ["original_name", "content_type", "size", "uploaded_at"]
    readonly_fields = fields


@admin.register(Appeal)
class AppealAdmin(_ReadOnlyAdmin):
    """Read-only: appeals are lodged by agencies and answered by reviewers on their pages."""

    list_display = ["pk", "case", "state", "lodged_at", "due_by", "decided_by"]
    list_filter = ["state"]
    inlines = [AppealFileInline]
