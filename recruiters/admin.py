from django import forms
from django.contrib import admin
from django.db import models
from django.utils.translation import gettext

from recruiters.languages import LANGUAGE_CHOICES
from recruiters.links.services import (
    agency_details_refresh,
    detail_normalise,
    person_keys_refresh,
)
from recruiters.models import (
    Agency,
    AgencyDetail,
    CertificationBody,
    ConflictOfInterest,
    Corridor,
    Employer,
    Membership,
    RelevantPerson,
    Role,
)


class MembershipForm(forms.ModelForm):
    languages = forms.MultipleChoiceField(
        choices=LANGUAGE_CHOICES, required=False, widget=forms.SelectMultiple(attrs={"size": 8})
    )

    class Meta:
        model = Membership
        fields = [
            "user",
            "role",
            "agency",
            "employer",
            "certification_body",
            "countries",
            "languages",
            "is_active",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # An inline fixes the role; set it before validation so the role/organisation
        # constraint is checked against the right role.
        fixed_role = getattr(self, "fixed_role", None)
        if fixed_role:
            self.instance.role = fixed_role


def _inline_form(role: Role) -> type[MembershipForm]:
    return type(f"{role.name.title()}MembershipForm", (MembershipForm,), {"fixed_role": role})


class _MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]
    fields = ["user", "is_active", "created_at"]
    readonly_fields = ["created_at"]


class AgencyMembershipInline(_MembershipInline):
    form = _inline_form(Role.AGENCY_MEMBER)
    fk_name = "agency"
    verbose_name = "agency member"
    verbose_name_plural = "agency members"


class EmployerMembershipInline(_MembershipInline):
    form = _inline_form(Role.EMPLOYER_MEMBER)
    fk_name = "employer"
    verbose_name = "employer member"
    verbose_name_plural = "employer members"


class AuditorInline(_MembershipInline):
    form = _inline_form(Role.AUDITOR)
    fk_name = "certification_body"
    fields = ["user", "countries", "languages", "is_active", "created_at"]
    verbose_name = "auditor"
    verbose_name_plural = "auditors"


class CorridorInline(admin.TabularInline):
    model = Corridor
    extra = 0


class RelevantPersonInline(admin.TabularInline):
    """The people behind the agency, entered by the scheme's staff; their name keys are
    kept by the link check's service on save."""

    model = RelevantPerson
    fk_name = "agency"
    fields = ["name", "role", "birth_year", "nationality", "since", "until"]
    extra = 0


class AgencyDetailForm(forms.ModelForm):
    """A detail as the link check compares it: one that normalises to nothing (a phone
    "n/a", a bank account "---") is refused here rather than dropped or matched by all."""

    class Meta:
        model = AgencyDetail
        fields = ["kind", "value", "since", "until"]

    def clean(self):
        cleaned = super().clean()
        kind, value = cleaned.get("kind"), (cleaned.get("value") or "").strip()
        if not kind or not value:
            return cleaned
        if kind == "bank_account" and value.startswith("…"):
            if self.instance.pk and value != self.instance.value:
                self.add_error(
                    "value", gettext("Type the whole account number again to change it.")
                )
            elif not self.instance.pk:
                self.add_error("value", gettext("Type the whole account number."))
            return cleaned
        probe = AgencyDetail(kind=kind, value=value)
        detail_normalise(probe)
        if not probe.normalised or (kind == "bank_account" and len(probe.value) < 5):
            self.add_error("value", gettext("Nothing here that the link check could compare."))
        return cleaned


class AgencyDetailInline(admin.TabularInline):
    """Its other identifiers, phones, e-mail domains, bank accounts (hashed on save)."""

    model = AgencyDetail
    form = AgencyDetailForm
    fk_name = "agency"
    fields = ["kind", "value", "since", "until"]
    extra = 0


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "country",
        "registration_number",
        "licence_number",
        "size_band",
        "created_at",
    ]
    list_filter = ["country", "sectors", "size_band"]
    search_fields = ["name", "legal_name", "registration_number", "licence_number", "=public_id"]
    readonly_fields = ["public_id", "created_at", "updated_at"]
    filter_horizontal = ["sectors"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    inlines = [CorridorInline, AgencyMembershipInline, RelevantPersonInline, AgencyDetailInline]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        agency_details_refresh(form.instance)  # its own fields, after the inlines' rows

    def save_formset(self, request, form, formset, change):
        # Through the link check's services: keys of names, normalised and hashed details.
        if formset.model is AgencyDetail:
            for detail in formset.save(commit=False):
                if not (detail.kind == "bank_account" and detail.value.startswith("…")):
                    detail_normalise(detail)  # a kept "…1234" keeps its hash
                detail.save()
            for gone in formset.deleted_objects:
                gone.delete()
            return
        super().save_formset(request, form, formset, change)
        if formset.model is RelevantPerson:
            for person in formset.new_objects + [obj for obj, _fields in formset.changed_objects]:
                person_keys_refresh(person)

    def get_readonly_fields(self, request, obj=None):
        # Once the agency exists, its identity changes only by a request a reviewer decides
        # (certification/services/identity.py), logged and reflected on its certificate.
        if obj is None:
            return self.readonly_fields
        return [
            *self.readonly_fields,
            "name",
            "legal_name",
            "registration_number",
            "licence_number",
            "country",
        ]


@admin.register(Employer)
class EmployerAdmin(admin.ModelAdmin):
    list_display = ["name", "country", "created_at"]
    list_filter = ["country"]
    search_fields = ["name", "=public_id"]
    readonly_fields = ["public_id", "created_at"]
    inlines = [EmployerMembershipInline]


@admin.register(CertificationBody)
class CertificationBodyAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "country",
        "accreditation_number",
        "accredited_from",
        "accredited_until",
    ]
    list_filter = ["country"]
    search_fields = ["name", "accreditation_number", "=public_id"]
    readonly_fields = ["public_id", "created_at"]
    inlines = [AuditorInline]

    def get_readonly_fields(self, request, obj=None):
        # The slug names the body's did:web: fixed once it signs credentials.
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.issuer_keys.exists():
            fields.append("slug")
        return fields


class ConflictOfInterestInline(admin.TabularInline):
    model = ConflictOfInterest
    extra = 0
    autocomplete_fields = ["agency"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    form = MembershipForm
    list_display = ["user", "role", "organisation", "is_active", "created_at"]
    list_filter = ["role", "is_active"]
    search_fields = [
        "user__username",
        "user__email",
        "agency__name",
        "employer__name",
        "certification_body__name",
    ]
    list_select_related = ["user", "agency", "employer", "certification_body"]
    autocomplete_fields = ["user", "agency", "employer", "certification_body"]
    readonly_fields = ["created_at"]
    inlines = [ConflictOfInterestInline]

    def get_inlines(self, request, obj):
        # Only auditors declare conflicts of interest.
        return self.inlines if obj is not None and obj.role == Role.AUDITOR else []


@admin.register(ConflictOfInterest)
class ConflictOfInterestAdmin(admin.ModelAdmin):
    list_display = ["auditor", "agency", "kind", "declared_at"]
    list_filter = ["kind"]
    search_fields = ["auditor__user__username", "agency__name", "reason"]
    list_select_related = ["auditor__user", "agency"]
    autocomplete_fields = ["auditor", "agency"]
