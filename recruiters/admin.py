from collections.abc import Callable, Sequence

from django import forms
from django.contrib import admin
from django.db import models
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from recruiters.dates import day
from recruiters.languages import LANGUAGE_CHOICES
from recruiters.links import engine
from recruiters.links.screening import screen_holder
from recruiters.links.services import (
    agency_details_refresh,
    detail_normalise,
    document_hash,
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
            "is_administrator",
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
    fields = ["user", "is_active", "is_administrator", "created_at"]
    fk_name = "agency"
    verbose_name = "agency member"
    verbose_name_plural = "agency members"


class EmployerMembershipInline(_MembershipInline):
    form = _inline_form(Role.EMPLOYER_MEMBER)
    fields = ["user", "is_active", "is_administrator", "created_at"]
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


class RelevantPersonForm(forms.ModelForm):
    """A person as the link check compares them. Their identity document's number is
    write-only: kept as its keyed hash with the nationality, as person_add keeps it, and
    never shown back; left blank, the hash already stored stays."""

    identity_document = forms.CharField(
        label=_("identity-document number"),
        required=False,
        max_length=100,
        # Never rendered back, not even after an error elsewhere on the page.
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text=_("Kept only as a keyed hash, never shown. Left blank, the stored one stays."),
    )

    class Meta:
        model = RelevantPerson
        fields = ["name", "role", "birth_year", "nationality", "since", "until"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.identity_document_hash:
            self.fields["identity_document"].widget.attrs["placeholder"] = gettext(
                "A number is kept"
            )

    def clean(self):
        cleaned = super().clean()
        number = (cleaned.get("identity_document") or "").strip()
        if number and not engine.identifier(number):
            self.add_error(
                "identity_document", gettext("An identity document's number has letters or digits.")
            )
        elif (
            not number
            and self.instance.identity_document_hash
            and "nationality" in self.changed_data
        ):
            # The hash is of the number with the nationality: without the number, it would
            # stay the hash of the old nationality and never match again.
            self.add_error(
                "identity_document",
                gettext("Type the identity-document number again to change the nationality."),
            )
        return cleaned

    def save(self, commit=True):
        number = (self.cleaned_data.get("identity_document") or "").strip()
        if number:
            self.instance.identity_document_hash = document_hash(
                number, self.cleaned_data.get("nationality") or ""
            )
        return super().save(commit)


class RelevantPersonInline(admin.TabularInline):
    """The people behind the agency, entered by the scheme's staff; their name keys are
    kept by the link check's service on save, an identity document as its hash only."""

    model = RelevantPerson
    form = RelevantPersonForm
    fk_name = "agency"
    fields = ["name", "role", "birth_year", "nationality", "identity_document", "since", "until"]
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
    # The link check's matches are read above this layer (certification/selectors/links.py
    # knows which agencies were refused or withdrawn), and recruiters imports nothing of
    # certification (DESIGN.md §1): certification/admin.py plugs its selector in,
    # `AgencyAdmin.links_of = staticmethod(agency_links)`. None: the block says so.
    links_of: Callable[[Agency], Sequence] | None = None

    @admin.display(description=_("Matches"))
    def link_check(self, obj: Agency):
        """The link check's matches, each with its strength, reason and newest decision,
        and a configured screening's hits: read only, every word escaped."""
        if self.links_of is None:
            matches = format_html(
                "<p>{}</p>", gettext("The link check is not connected to this page.")
            )
        else:
            links = self.links_of(obj)
            matches = (
                format_html(
                    '<ul class="link-check">{}</ul>',
                    format_html_join(
                        "",
                        "<li><strong>{}</strong> — {}{}</li>",
                        (
                            (link.strength_words, link.reason, _decided(link.review))
                            for link in links
                        ),
                    ),
                )
                if links
                else format_html("<p>{}</p>", gettext("No match."))
            )
        return format_html("{}{}", matches, _screening_block(screen_holder(obj)))

    def get_fieldsets(self, request, obj=None):
        # The matches in a block of their own, below the agency's fields.
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:
            return fieldsets
        fields = [field for field in fieldsets[0][1]["fields"] if field != "link_check"]
        return [
            (None, {"fields": fields}),
            (
                _("Link check"),
                {
                    "fields": ["link_check"],
                    "description": _(
                        "What the agency's people and details share with agencies refused, "
                        "withdrawn or suspended, and with applications. A match is for a "
                        "reviewer to judge: it never refuses by itself."
                    ),
                },
            ),
        ]

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
            "link_check",
        ]


def _decided(review) -> str:
    """The newest decision on a match, in words; empty if none."""
    if review is None:
        return ""
    words = gettext("Decided: %(decision)s (%(who)s, %(day)s)") % {
        "decision": review.get_decision_display(),
        "who": review.decided_by.get_username(),
        "day": day(timezone.localdate(review.decided_at)),
    }
    return f". {words}: {review.note}" if review.note else f". {words}"


def _screening_block(result):
    """A configured screening's hits (nothing when it is off), or that it could not run."""
    if not result.enabled:
        return ""
    if result.failed:
        body = format_html(
            '<p class="errornote">{}</p>',
            gettext(
                "The screening could not run. Try again later; the link check is not affected."
            ),
        )
    elif result.hits:
        body = format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                "<li><strong>{}</strong> — {}</li>",
                ((hit.strength_words, hit.reason) for hit in result.hits),
            ),
        )
    else:
        body = format_html("<p>{}</p>", gettext("No hit."))
    return format_html("<h3>{}</h3>{}", gettext("Screening against outside lists"), body)


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
    list_display = ["user", "role", "organisation", "is_active", "is_administrator", "created_at"]
    list_filter = ["role", "is_active", "is_administrator"]
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
