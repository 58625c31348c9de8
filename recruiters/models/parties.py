"""The parties of the scheme: agencies, employers, certification bodies and their people."""

import unicodedata
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from recruiters.languages import validate_language_codes


def _normalise_identifier(value: str) -> str:
    """Registration and licence numbers: no stray or doubled spaces."""
    return " ".join(value.split())


def name_key(name: str) -> str:
    """An agency's name as compared for sameness: without case, accents or extra spaces
    ("Himalaya  Fair Jobs" and "himalaya fair jobs" are one name, so are "Sécurité" and
    "securite"), so that no agency can take the name another holds in its country."""
    decomposed = unicodedata.normalize("NFKD", name)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.casefold().split())


class SectorCode(models.TextChoices):
    AGRICULTURE = "agriculture", _("Agriculture")
    FISHING = "fishing", _("Fishing")
    DOMESTIC_WORK = "domestic_work", _("Domestic work")
    HOSPITALITY = "hospitality", _("Hospitality")
    CONSTRUCTION = "construction", _("Construction")
    MANUFACTURING = "manufacturing", _("Manufacturing")
    CARE = "care", _("Care")
    OTHER = "other", _("Other")


class Sector(models.Model):
    """One of the fixed sectors an agency recruits for (rows kept by a post-migrate hook)."""

    code = models.CharField(_("code"), primary_key=True, max_length=32, choices=SectorCode.choices)

    class Meta:
        ordering = ["code"]
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")

    def __str__(self) -> str:
        return str(self.get_code_display())


class SizeBand(models.TextChoices):
    """Workers placed abroad in a year."""

    UNDER_100 = "under_100", _("Fewer than 100 workers a year")
    FROM_100 = "100_499", _("100 to 499 workers a year")
    FROM_500 = "500_1999", _("500 to 1,999 workers a year")
    FROM_2000 = "2000_9999", _("2,000 to 9,999 workers a year")
    FROM_10000 = "10000_plus", _("10,000 or more workers a year")


class Agency(models.Model):
    """A labour recruiter seeking or holding certification."""

    public_id = models.UUIDField(
        _("public identifier"), default=uuid.uuid4, unique=True, editable=False
    )
    name = models.CharField(_("name"), max_length=200)
    name_key = models.CharField(max_length=200, editable=False)  # name_key(name), kept by save
    legal_name = models.CharField(_("legal name"), max_length=255)
    country = CountryField(_("country"))
    registration_number = models.CharField(
        _("national registration number"),
        max_length=100,
        help_text=_("Company or business registration number in its country."),
    )
    licence_number = models.CharField(
        _("recruitment licence number"),
        max_length=100,
        blank=True,
        help_text=_("Licence to recruit for work abroad, where the country issues one."),
    )
    address = models.TextField(_("address"), blank=True)
    website = models.URLField(_("website"), blank=True)
    sectors = models.ManyToManyField(
        Sector, verbose_name=_("sectors"), blank=True, related_name="agencies"
    )
    size_band = models.CharField(
        _("workers placed a year"), max_length=16, choices=SizeBand.choices
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        constraints = [
            models.CheckConstraint(
                condition=~Q(registration_number=""),
                name="agency_registration_number_required",
            ),
            # Case-insensitive: 'ab-12' and 'AB-12' are the same number.
            models.UniqueConstraint(
                F("country"),
                Upper("registration_number"),
                name="agency_registration_number_unique_in_country",
                violation_error_message=_(
                    "An agency with this registration number is already registered in this country."
                ),
            ),
            models.UniqueConstraint(
                fields=["country", "name_key"],
                name="agency_name_unique_in_country",
                violation_error_message=_(
                    "An agency of this name is already registered in this country."
                ),
            ),
            models.UniqueConstraint(
                F("country"),
                Upper("licence_number"),
                condition=~Q(licence_number=""),
                name="agency_licence_number_unique_in_country",
                violation_error_message=_(
                    "An agency with this licence number is already registered in this country."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.country.code})"

    def save(self, *args, **kwargs) -> None:
        self._normalise()
        super().save(*args, **kwargs)

    def clean(self) -> None:
        self._normalise()

    def _normalise(self) -> None:
        self.registration_number = _normalise_identifier(self.registration_number)
        self.licence_number = _normalise_identifier(self.licence_number)
        self.name_key = name_key(self.name)


class Corridor(models.Model):
    """A migration route an agency recruits along: from a country of origin to one of destination."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="corridors")
    origin = CountryField(_("country of origin"))
    destination = CountryField(_("country of destination"))

    class Meta:
        ordering = ["origin", "destination"]
        verbose_name = _("corridor")
        verbose_name_plural = _("corridors")
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "origin", "destination"], name="corridor_unique_per_agency"
            ),
            models.CheckConstraint(
                condition=~Q(origin=F("destination")),
                name="corridor_crosses_a_border",
                violation_error_message=_("Origin and destination must be different countries."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.origin.code} → {self.destination.code}"


class Employer(models.Model):
    """An organisation that checks the certification status of the agencies it works with."""

    public_id = models.UUIDField(
        _("public identifier"), default=uuid.uuid4, unique=True, editable=False
    )
    name = models.CharField(_("name"), max_length=200)
    country = CountryField(_("country"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("employer")
        verbose_name_plural = _("employers")

    def __str__(self) -> str:
        return f"{self.name} ({self.country.code})"


# Lower-case words joined by single hyphens: the slug is a path of did:web and, in
# capitals with underscores, the name of the body's key variable (one name per slug).
SLUG_WORDS = RegexValidator(
    r"^[a-z0-9]+(-[a-z0-9]+)*$",
    _("Use lower-case letters and digits, words joined by single hyphens."),
)


class CertificationBody(models.Model):
    """An accredited body whose auditors audit agencies against the standard."""

    public_id = models.UUIDField(
        _("public identifier"), default=uuid.uuid4, unique=True, editable=False
    )
    name = models.CharField(_("name"), max_length=200)
    # The body's did:web path (/bodies/<slug>/did.json): its credentials name it as issuer,
    # so it never changes once a credential is issued.
    slug = models.SlugField(
        _("short name"),
        max_length=60,
        unique=True,
        blank=True,
        validators=[SLUG_WORDS],
        help_text=_(
            "Names the body in its web address: letters, digits and hyphens; made from the "
            "name when left blank."
        ),
    )
    country = CountryField(_("country"))
    accreditation_number = models.CharField(_("accreditation number"), max_length=100, unique=True)
    accredited_from = models.DateField(_("accredited from"))
    accredited_until = models.DateField(_("accredited until"))
    countries = CountryField(
        _("countries of accreditation"),
        multiple=True,
        blank=True,
        help_text=_("Countries where the body may certify agencies."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("certification body")
        verbose_name_plural = _("certification bodies")
        constraints = [
            models.CheckConstraint(
                condition=Q(accredited_until__gt=F("accredited_from")),
                name="certification_body_accreditation_period_valid",
                violation_error_message=_("The accreditation must end after it starts."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = free_slug(self.name, CertificationBody.objects.exclude(pk=self.pk))
        elif self.pk and self.issuer_keys.exists():
            # Its credentials name did:web:…:bodies:<slug>: a new slug would orphan them.
            stored = CertificationBody.objects.filter(pk=self.pk).values_list("slug", flat=True)
            if stored.first() not in (None, self.slug):
                raise ValidationError(
                    {"slug": _("The short name cannot change once the body signs credentials.")}
                )
        super().save(*args, **kwargs)

    def is_accredited_on(self, day) -> bool:
        return self.accredited_from <= day <= self.accredited_until


def free_slug(name: str, others) -> str:
    """A slug made from the name, numbered when another row holds it already."""
    # slugify drops accents: "Vérité" gives "verite".
    base = slugify(name)[:50].strip("-") or "body"
    slug, number = base, 1
    while others.filter(slug=slug).exists():
        number += 1
        slug = f"{base}-{number}"
    return slug


class Role(models.TextChoices):
    AGENCY_MEMBER = "agency_member", _("Agency member")
    AUDITOR = "auditor", _("Auditor")
    REVIEWER = "reviewer", _("Reviewer (scheme staff)")
    EMPLOYER_MEMBER = "employer_member", _("Employer member")


_NO_ORGANISATION = Q(agency__isnull=True, employer__isnull=True, certification_body__isnull=True)


class Membership(models.Model):
    """A user's role in an organisation. Reviewers belong to the scheme itself (no organisation).

    For auditors, `countries` and `languages` say where and in which languages they may audit.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    agency = models.ForeignKey(
        Agency, on_delete=models.CASCADE, null=True, blank=True, related_name="memberships"
    )
    employer = models.ForeignKey(
        Employer, on_delete=models.CASCADE, null=True, blank=True, related_name="memberships"
    )
    certification_body = models.ForeignKey(
        CertificationBody,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="memberships",
    )
    countries = CountryField(_("countries (auditors)"), multiple=True, blank=True)
    languages = models.JSONField(
        _("languages (auditors)"),
        default=list,
        blank=True,
        validators=[validate_language_codes],
        help_text=_("ISO 639-1 codes, for example ['en', 'ne', 'ar']."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    # Inside an agency or employer: an administrator invites colleagues, changes their
    # roles and deactivates them; an employer's administrators manage its API keys and
    # webhooks. The first member of an organisation is one.
    is_administrator = models.BooleanField(_("administrator of the organisation"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["user_id", "role", "id"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(
                        role=Role.AGENCY_MEMBER,
                        agency__isnull=False,
                        employer__isnull=True,
                        certification_body__isnull=True,
                    )
                    | Q(
                        role=Role.EMPLOYER_MEMBER,
                        employer__isnull=False,
                        agency__isnull=True,
                        certification_body__isnull=True,
                    )
                    | Q(
                        role=Role.AUDITOR,
                        certification_body__isnull=False,
                        agency__isnull=True,
                        employer__isnull=True,
                    )
                    | (Q(role=Role.REVIEWER) & _NO_ORGANISATION)
                ),
                name="membership_organisation_matches_role",
                violation_error_message=_(
                    "An agency member belongs to an agency, an employer member to an employer, "
                    "an auditor to a certification body, and a reviewer to no organisation."
                ),
            ),
            models.CheckConstraint(
                condition=Q(is_administrator=False)
                | Q(role__in=[Role.AGENCY_MEMBER, Role.EMPLOYER_MEMBER]),
                name="membership_administrator_of_an_organisation",
                violation_error_message=_(
                    "Only an agency's or an employer's members administer their organisation."
                ),
            ),
            models.UniqueConstraint(
                fields=["user", "agency"],
                condition=Q(role=Role.AGENCY_MEMBER),
                name="membership_unique_agency_member",
            ),
            models.UniqueConstraint(
                fields=["user", "employer"],
                condition=Q(role=Role.EMPLOYER_MEMBER),
                name="membership_unique_employer_member",
            ),
            models.UniqueConstraint(
                fields=["user", "certification_body"],
                condition=Q(role=Role.AUDITOR),
                name="membership_unique_auditor",
            ),
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(role=Role.REVIEWER),
                name="membership_unique_reviewer",
            ),
        ]

    def __str__(self) -> str:
        organisation = self.organisation
        where = f" of {organisation}" if organisation else ""
        return f"{self.user} — {self.get_role_display()}{where}"

    @property
    def organisation(self):
        return self.agency or self.employer or self.certification_body


class ConflictKind(models.TextChoices):
    EMPLOYMENT = "employment", _("Worked for the agency")
    OWNERSHIP = "ownership", _("Owns part of the agency")
    CONSECUTIVE_AUDITS = "consecutive_audits", _("Audited the agency three cycles in a row")
    PERSONAL = "personal", _("Family or personal relationship")
    OTHER = "other", _("Other")


class ConflictOfInterest(models.Model):
    """A conflict an auditor declared with an agency; such an auditor is never assigned to it."""

    auditor = models.ForeignKey(
        Membership,
        on_delete=models.CASCADE,
        related_name="conflicts_of_interest",
        limit_choices_to={"role": Role.AUDITOR},
    )
    agency = models.ForeignKey(
        Agency, on_delete=models.CASCADE, related_name="conflicts_of_interest"
    )
    kind = models.CharField(_("kind"), max_length=32, choices=ConflictKind.choices)
    reason = models.TextField(_("reason"))
    declared_at = models.DateTimeField(_("declared at"), default=timezone.now)

    class Meta:
        ordering = ["-declared_at", "id"]
        verbose_name = _("conflict of interest")
        verbose_name_plural = _("conflicts of interest")
        constraints = [
            models.UniqueConstraint(
                fields=["auditor", "agency", "kind"], name="conflict_of_interest_unique"
            ),
            models.CheckConstraint(
                condition=~Q(reason=""), name="conflict_of_interest_reason_required"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.auditor.user} / {self.agency.name}: {self.get_kind_display()}"

    def clean(self) -> None:
        if self.auditor_id and self.auditor.role != Role.AUDITOR:
            raise ValidationError({"auditor": _("Only an auditor declares conflicts of interest.")})
        self.reason = self.reason.strip()
