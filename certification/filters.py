"""Filters shared by the API and the web pages (django-filter)."""

import django_filters
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from certification.models import CaseState, Certificate
from certification.status import CERTIFIED, EXPIRED, SUSPENDED, WITHDRAWN
from recruiters.models import Agency, Corridor, name_key

REGISTRY_STATUSES = [
    (CERTIFIED, _("Certified")),
    (SUSPENDED, _("Suspended")),
    (WITHDRAWN, _("Withdrawn")),
    (EXPIRED, _("Expired")),
]


class RegistryFilter(django_filters.FilterSet):
    country = django_filters.CharFilter(method="filter_country", help_text="two letters, e.g. NP")
    corridor = django_filters.CharFilter(
        method="filter_corridor", help_text="origin-destination, e.g. NP-QA"
    )
    sector = django_filters.CharFilter(method="filter_sector")
    status = django_filters.ChoiceFilter(method="filter_status", choices=REGISTRY_STATUSES)
    search = django_filters.CharFilter(
        method="filter_search", help_text="name or registration number"
    )

    class Meta:
        model = Certificate
        fields = []

    def filter_country(self, queryset, name, value):
        # Codes are stored in capitals: an exact match reads the country's index, where
        # iexact (UPPER of the column) would read every certificate.
        return queryset.filter(agency_country=value.strip().upper())

    def filter_corridor(self, queryset, name, value):
        origin, _, destination = value.upper().partition("-")
        return queryset.filter(
            Exists(
                Corridor.objects.filter(
                    agency=OuterRef("case__agency"), origin=origin, destination=destination
                )
            )
        )

    # Filters as Exists, never joins to many rows: one row per certificate, no DISTINCT.
    def filter_sector(self, queryset, name, value):
        return queryset.filter(
            Exists(
                Agency.sectors.through.objects.filter(
                    agency=OuterRef("case__agency"), sector__code=value
                )
            )
        )

    def filter_status(self, queryset, name, value):
        """As Certificate.status_on says it (models.certificate_status): a suspension or
        withdrawal shows whatever the dates; otherwise past its end it is expired."""
        today = timezone.localdate()
        return queryset.filter(
            {
                CERTIFIED: Q(case__state=CaseState.CERTIFIED, valid_until__gte=today),
                SUSPENDED: Q(case__state=CaseState.SUSPENDED),
                WITHDRAWN: Q(case__state=CaseState.WITHDRAWN),
                EXPIRED: Q(case__state=CaseState.EXPIRED)
                | Q(case__state=CaseState.CERTIFIED, valid_until__lt=today),
            }[value]
        )

    def filter_search(self, queryset, name, value):
        """Part of the name, whatever its case and accents ("himalaya", "Himâlaya fair"),
        as certified or as the agency is called now; or the registration number."""
        value = value.strip()
        return queryset.filter(
            Q(agency_name__icontains=value)
            | Q(case__agency__name_key__contains=name_key(value))
            | Q(agency_registration_number__iexact=value)
        )
