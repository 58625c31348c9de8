"""Scheme staff read the standard here. Standards come from files (`load_standard`): nothing
is added here, a published version is read-only, and a draft's wording can be corrected."""

from django.contrib import admin

from scoring.models import Criterion, Principle, Question, Standard, SurveyChoice, SurveyQuestion
from scoring.services import standard_refresh_fingerprint


class _StandardContentAdmin(admin.ModelAdmin):
    # The structure (codes, types, rules) comes from the file and is never edited here.
    structure_fields: tuple[str, ...] = ()

    def standard_of(self, obj) -> Standard:
        return obj.standard

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        if obj is not None and self.standard_of(obj).is_published:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def get_readonly_fields(self, request, obj=None):
        return self.structure_fields

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        standard_refresh_fingerprint(standard=self.standard_of(obj))


class PrincipleInline(admin.TabularInline):
    model = Principle
    fields = ["position", "code", "kind", "title_en", "title_fr"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Standard)
class StandardAdmin(_StandardContentAdmin):
    list_display = ["code", "version", "status", "title_en", "loaded_at"]
    list_filter = ["status", "code"]
    search_fields = ["code", "version", "title_en", "title_fr"]
    structure_fields = ("code", "version", "status", "content_sha256", "loaded_at", "updated_at")
    inlines = [PrincipleInline]

    def standard_of(self, obj) -> Standard:
        return obj

    def has_delete_permission(self, request, obj=None) -> bool:
        # A draft nobody uses may go; a published version stays for ever.
        if obj is not None and obj.is_published:
            return False
        return super(_StandardContentAdmin, self).has_delete_permission(request, obj)


@admin.register(Principle)
class PrincipleAdmin(_StandardContentAdmin):
    list_display = ["code", "title_en", "kind", "standard"]
    list_filter = ["standard", "kind"]
    search_fields = ["code", "title_en", "title_fr"]
    list_select_related = ["standard"]
    structure_fields = ("standard", "code", "kind", "position")


@admin.register(Criterion)
class CriterionAdmin(_StandardContentAdmin):
    list_display = ["code", "principle", "weight", "zero_tolerance", "standard"]
    list_filter = ["standard", "zero_tolerance", "principle__code"]
    search_fields = ["code", "text_en", "text_fr"]
    list_select_related = ["standard", "principle"]
    structure_fields = ("standard", "principle", "code", "position", "forced_labour_indicators")


@admin.register(Question)
class QuestionAdmin(_StandardContentAdmin):
    list_display = ["code", "criterion", "answer_type", "required", "standard"]
    list_filter = ["standard", "answer_type", "required", "criterion__zero_tolerance"]
    search_fields = ["code", "text_en", "text_fr", "help_en", "help_fr"]
    list_select_related = ["standard", "criterion"]
    structure_fields = (
        "standard",
        "criterion",
        "code",
        "position",
        "answer_type",
        "allow_not_applicable",
        "expected_answer",
        "choices",
        "compliant_choices",
        "minimum",
        "maximum",
    )


class SurveyChoiceInline(admin.TabularInline):
    model = SurveyChoice
    fields = ["position", "code", "label", "fee_category"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(SurveyQuestion)
class SurveyQuestionAdmin(_StandardContentAdmin):
    list_display = ["code", "criterion", "answer_type", "optional_personal", "standard"]
    list_filter = ["standard", "answer_type", "optional_personal"]
    search_fields = ["code"]
    list_select_related = ["standard", "criterion"]
    inlines = [SurveyChoiceInline]
    # Read only, texts too: a survey's texts are checked in every language only by the
    # loader, so a draft's survey is corrected in its file and loaded again.
    structure_fields = (
        "text",
        "help",
        "standard",
        "criterion",
        "code",
        "position",
        "answer_type",
        "ask_if_question",
        "ask_if_answer",
        "signal_answers",
        "optional_personal",
    )
