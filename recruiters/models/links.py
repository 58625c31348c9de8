"""Who and what stands behind an agency (DOMAIN.md §10): its relevant people with the time
they held their role, its identifiers, addresses, phones, e-mail domains and bank accounts,
each a record of its own with its normalised form indexed, and the reviewers' decisions on
the links the check lists (recruiters/links/engine.py; certification/selectors/links.py)."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from recruiters.models.parties import Agency


class PersonRole(models.TextChoices):
    DIRECTOR = "director", _("Director")
    OWNER = "owner", _("Owner")
    NOMINATED_OFFICER = "nominated_officer", _("Nominated officer")


class RelevantPerson(models.Model):
    """A director, owner or nominated officer of an agency, from when to when. An identity
    document's number is kept only as a keyed hash, to be compared, never shown."""

    # The agency's, or an application's (both, once the application is accepted).
    agency = models.ForeignKey(
        Agency, on_delete=models.CASCADE, null=True, blank=True, related_name="people"
    )
    application = models.ForeignKey(
        "recruiters.Application",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="people",
    )
    name = models.CharField(_("name"), max_length=200)
    birth_year = models.PositiveSmallIntegerField(
        _("year of birth"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1900), MaxValueValidator(2100)],
    )
    nationality = CountryField(_("nationality"), blank=True)
    role = models.CharField(_("role"), max_length=20, choices=PersonRole.choices)
    identity_document_hash = models.CharField(max_length=64, blank=True, editable=False)
    since = models.DateField(_("since"), null=True, blank=True)
    until = models.DateField(_("until"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["agency_id", "role", "name", "id"]
        verbose_name = _("relevant person")
        verbose_name_plural = _("relevant people")
        constraints = [
            models.CheckConstraint(
                condition=Q(until__isnull=True) | Q(since__isnull=True) | Q(until__gte=F("since")),
                name="relevant_person_period_valid",
                violation_error_message=_("A role ends on or after the day it starts."),
            ),
            models.CheckConstraint(
                condition=Q(agency__isnull=False) | Q(application__isnull=False),
                name="relevant_person_of_someone",
            ),
        ]
        indexes = [models.Index(fields=["identity_document_hash"], name="person_document")]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_role_display()})"


class PersonKey(models.Model):
    """A blocking key of a person's name (engine.person_keys), with the birth year beside
    it: the check reads only the people who share keys with an applicant's."""

    person = models.ForeignKey(RelevantPerson, on_delete=models.CASCADE, related_name="keys")
    key = models.CharField(max_length=40)
    birth_year = models.PositiveSmallIntegerField(null=True)

    class Meta:
        indexes = [models.Index(fields=["key", "birth_year"], name="person_key")]

    def __str__(self) -> str:
        return self.key


class DetailKind(models.TextChoices):
    # The organisation's names, kept by the skeletons of their words so that the check
    # finds names spelt otherwise ("Sagarmata Overseas") by one index lookup.
    NAME = "name", _("Name")
    REGISTRATION = "registration", _("Registration number")
    LICENCE = "licence", _("Licence number")
    TAX = "tax", _("Tax number")
    ADDRESS = "address", _("Address")
    PHONE = "phone", _("Phone")
    EMAIL_DOMAIN = "email_domain", _("E-mail domain")
    BANK_ACCOUNT = "bank_account", _("Bank account")


class AgencyDetail(models.Model):
    """One identifier, address, phone, e-mail domain or bank account of an agency, from when
    to when, with its normalised form (a bank account: a keyed hash; shown by its last four
    characters only)."""

    agency = models.ForeignKey(
        Agency, on_delete=models.CASCADE, null=True, blank=True, related_name="details"
    )
    application = models.ForeignKey(
        "recruiters.Application",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="details",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=DetailKind.choices)
    value = models.CharField(_("value"), max_length=255)
    normalised = models.CharField(max_length=255, editable=False)
    since = models.DateField(_("since"), null=True, blank=True)
    until = models.DateField(_("until"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["agency_id", "kind", "id"]
        verbose_name = _("agency detail")
        verbose_name_plural = _("agency details")
        indexes = [models.Index(fields=["kind", "normalised"], name="agency_detail_value")]
        constraints = [
            models.CheckConstraint(
                condition=Q(agency__isnull=False) | Q(application__isnull=False),
                name="agency_detail_of_someone",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.value}"


class LinkDecision(models.TextChoices):
    LINKED = "linked", _("Linked: the same people or business")
    NOT_THE_SAME = "not_the_same", _("Not the same")


class LinkReview(models.Model):
    """A reviewer's decision on one match the check listed: what of the agency checked
    matched what of the other, and whether they are linked. The check never decides.
    Kept, never changed: a decision taken again is a new row, and the newest stands."""

    # What was checked (an agency, or an application) and what it matched (the same).
    agency = models.ForeignKey(
        Agency, on_delete=models.CASCADE, null=True, blank=True, related_name="link_reviews"
    )
    application = models.ForeignKey(
        "recruiters.Application",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="link_reviews",
    )
    other = models.ForeignKey(
        Agency, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    other_application = models.ForeignKey(
        "recruiters.Application", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=20)
    mine = models.CharField(_("what of the agency checked"), max_length=255)
    theirs = models.CharField(_("what of the other agency"), max_length=255)
    decision = models.CharField(_("decision"), max_length=20, choices=LinkDecision.choices)
    note = models.TextField(_("note"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"))

    class Meta:
        ordering = ["agency_id", "-decided_at", "-id"]
        verbose_name = _("link review")
        verbose_name_plural = _("link reviews")
        indexes = [models.Index(fields=["agency", "other"], name="link_review_pair")]
        constraints = [
            models.CheckConstraint(
                condition=(Q(agency__isnull=False) | Q(application__isnull=False))
                & (Q(other__isnull=False) | Q(other_application__isnull=False)),
                name="link_review_between_two",
            ),
        ]

    def __str__(self) -> str:
        subject = self.agency or self.application
        other = self.other or self.other_application
        return f"{subject} ~ {other}: {self.decision}"
