"""Read-only: the contents stay encrypted here; they are read on the reviewer's page, logged."""

from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from monitoring.models import (
    Complaint,
    ComplaintEvent,
    ComplaintFile,
    ComplaintMessage,
    ComplaintReading,
    ComplaintReminder,
    SurveyBatch,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Complaint)
class ComplaintAdmin(ReadOnlyAdmin):
    list_display = ["number", "created_at", "state", "zero_tolerance", "agency", "agency_text"]
    list_filter = ["state", "zero_tolerance"]
    search_fields = ["number"]
    # No decrypted field, and not even the tokens: nothing here to copy out.
    exclude = ["description_encrypted", "contact_encrypted", "follow_up_hash"]


@admin.register(ComplaintMessage)
class ComplaintMessageAdmin(ReadOnlyAdmin):
    list_display = ["complaint", "direction", "created_at"]
    exclude = ["body_encrypted"]


@admin.register(ComplaintFile)
class ComplaintFileAdmin(ReadOnlyAdmin):
    list_display = ["complaint", "content_type", "size", "uploaded_at"]
    exclude = ["file"]


@admin.register(ComplaintReading)
class ComplaintReadingAdmin(ReadOnlyAdmin):
    list_display = ["complaint", "reader", "what", "read_at"]


@admin.register(ComplaintEvent)
class ComplaintEventAdmin(ReadOnlyAdmin):
    list_display = ["complaint", "name", "source", "target", "actor", "created_at"]
    list_filter = ["name"]


@admin.register(ComplaintReminder)
class ComplaintReminderAdmin(ReadOnlyAdmin):
    list_display = ["complaint", "deadline", "kind", "sent_at"]


# --- Worker survey -------------------------------------------------------------------------
# Counts only: no code (neither its hash nor its token) and no single answer is shown here.
# The responses have no admin of their own: a list of them (each with its agency, language
# and day) would be a page giving single responses. Their number is the batch's.


@admin.register(SurveyBatch)
class SurveyBatchAdmin(ReadOnlyAdmin):
    list_display = [
        "agency",
        "corridor_label",
        "standard",
        "count",
        "answered",
        "issued_by",
        "issued_at",
        "expires_at",
    ]
    list_select_related = ["agency", "standard", "issued_by"]
    search_fields = ["agency__name"]
    fields = [
        "agency",
        "origin",
        "destination",
        "standard",
        "count",
        "issued_by",
        "issued_at",
        "expires_at",
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(answer_count=Count("responses"))

    @admin.display(description=_("answers received"), ordering="answer_count")
    def answered(self, batch) -> int:
        return batch.answer_count
