"""Read-only: the contents stay encrypted here; they are read on the reviewer's page, logged."""

from django.contrib import admin

from monitoring.models import (
    Complaint,
    ComplaintEvent,
    ComplaintFile,
    ComplaintMessage,
    ComplaintReading,
    ComplaintReminder,
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
