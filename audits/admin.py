"""Audit records in the admin: read-only, since the workflow owns them."""

from django.contrib import admin

from audits.models import Audit, CorrectiveAction, Evidence, Finding, SelfAssessment


class _ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class FindingInline(admin.TabularInline):
    model = Finding
    fields = ["criterion", "grade", "effective_grade", "indicators", "text"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Audit)
class AuditAdmin(_ReadOnlyAdmin):
    list_display = ["pk", "case", "kind", "state", "lead_auditor", "stage1_date", "stage2_date"]
    list_filter = ["kind", "state"]
    search_fields = ["case__agency__name"]
    list_select_related = ["case__agency", "lead_auditor__user"]
    inlines = [FindingInline]


@admin.register(CorrectiveAction)
class CorrectiveActionAdmin(_ReadOnlyAdmin):
    list_display = ["pk", "finding", "severity", "state", "plan_due", "closure_due"]
    list_filter = ["severity", "state"]
    search_fields = ["finding__audit__case__agency__name", "root_cause", "action"]
    list_select_related = ["finding__criterion"]


@admin.register(SelfAssessment)
class SelfAssessmentAdmin(_ReadOnlyAdmin):
    list_display = ["case", "submitted_at", "updated_at"]
    search_fields = ["case__agency__name"]


@admin.register(Evidence)
class EvidenceAdmin(_ReadOnlyAdmin):
    list_display = ["original_name", "content_type", "size", "uploaded_by", "uploaded_at"]
    exclude = ["file"]  # never linked from here: served only through a permission check
    search_fields = ["original_name", "sha256"]
