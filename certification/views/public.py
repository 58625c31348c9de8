"""Pages anyone may open: home, registry, an agency's public page, certificate verification."""

import logging
from urllib.parse import urlencode

from django import forms
from django.core.cache import cache
from django.core.paginator import Paginator
from django.core.validators import RegexValidator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from certification.filters import RegistryFilter
from certification.models import StatusEvent
from certification.selectors.watching import watched_among
from certification.status import (
    CERTIFICATE_NUMBER,
    REGISTRY_CACHE_SECONDS,
    agency_status,
    certificate_verify,
    certified_agency_count,
    current_certificates_queryset,
    former_name,
    registry_page_key,
    registry_version,
)
from recruiters.models import Agency, SectorCode
from recruiters.roles import roles_of

PAGE_SIZE = 25
REGISTRY_FILTERS = ("country", "corridor", "sector", "status", "search")
logger = logging.getLogger(__name__)


class KeptCountPaginator(Paginator):
    """The registry's count, which grows with the register, kept in the cache under the
    registry's version (replaced when a change commits, certification/status.py); with no
    key (the cache away), counted each time."""

    def __init__(self, object_list, per_page, count_key: str | None):
        super().__init__(object_list, per_page)
        self.count_key = count_key

    @cached_property  # asked several times per page: one cache read
    def count(self) -> int:
        if self.count_key is None:
            return self.object_list.count()
        try:
            count = cache.get(self.count_key)
            if count is None:
                count = self.object_list.count()
                cache.set(self.count_key, count, REGISTRY_CACHE_SECONDS)
        except Exception:  # the cache away: the page counts, as it did before
            logger.warning("registry count not kept in the cache", exc_info=True)
            return self.object_list.count()
        return count


@require_GET
def home(request):
    certified = certified_agency_count(timezone.localdate())
    return render(request, "certification/home.html", {"certified": certified})


@require_GET
def registry(request):
    """The public registry, filtered as the API's (same FilterSet), a page at a time."""
    today = timezone.localdate()
    registry_filter = RegistryFilter(request.GET, queryset=current_certificates_queryset(today))
    for name, label in (
        ("country", _("Country (two letters)")),
        ("corridor", _("Corridor (origin-destination, e.g. NP-QA)")),
        ("sector", _("Sector")),
        ("status", _("Status")),
        ("search", _("Name or registration number")),
    ):
        registry_filter.form.fields[name].label = label
        registry_filter.form.fields[name].help_text = ""
    registry_filter.form.fields["sector"] = forms.ChoiceField(
        label=_("Sector"),
        required=False,
        choices=[("", "---------"), *SectorCode.choices],
    )
    query = request.GET.copy()
    query.pop("page", None)
    # The filters' own values only, so that made-up parameters make no keys of their own.
    counted = {name: query.get(name, "") for name in REGISTRY_FILTERS}
    try:
        count_key = registry_page_key(registry_version(), "web-count", urlencode(counted))
    except Exception:  # the cache away: counted without it
        count_key = None
    page = KeptCountPaginator(
        registry_filter.qs.order_by("agency_name", "pk"), PAGE_SIZE, count_key
    ).get_page(request.GET.get("page"))
    # An employer's Watch buttons: which of the page's agencies it watches, one query.
    watched = watched_among(
        roles_of(request).employer, [c.case.agency_id for c in page.object_list]
    )
    return render(
        request,
        "certification/registry.html",
        {
            "filter": registry_filter,
            "page": page,
            "rows": [
                (c, c.status_on(today), former_name(c, today), c.case.agency_id in watched)
                for c in page.object_list
            ],
            "query": query.urlencode(),
        },
    )


@require_GET
def agency_page(request, public_id):
    """An agency's public page: status, certificate and scope, history of status changes."""
    agency = get_object_or_404(Agency, public_id=public_id)
    status = agency_status(agency)
    history = StatusEvent.objects.filter(agency=agency).order_by("-occurred_at")[:50]
    return render(
        request,
        "certification/agency_public.html",
        {
            "agency": agency,
            "status": status,
            "history": history,
            "watched": agency.pk in watched_among(roles_of(request).employer, [agency.pk]),
        },
    )


class VerifyForm(forms.Form):
    number = forms.CharField(
        label=_("Certificate number"),
        max_length=20,
        validators=[
            RegexValidator(
                rf"^{CERTIFICATE_NUMBER.pattern}\Z",
                _(
                    "A certificate number has only letters, digits and hyphens, as printed: FR-2026-000123."
                ),
            )
        ],
    )
    code = forms.CharField(
        label=_("Verification code"),
        max_length=64,
        help_text=_("Printed under the QR code on the certificate."),
    )


@require_GET
def verify(request, number: str | None = None):
    """Verification from the QR code (/verify/<number>/?code=...) or from the form; the
    same 'not found' whichever of the number and the code is wrong."""
    if number is None:
        form = VerifyForm(request.GET or None)
        if form.is_bound and form.is_valid():
            url = redirect("web:verify-certificate", number=form.cleaned_data["number"].strip())
            url["Location"] += "?" + urlencode({"code": form.cleaned_data["code"].strip()})
            return url
        return render(request, "certification/verify_form.html", {"form": form})
    certificate = certificate_verify(number, request.GET.get("code", ""))
    context = {"number": number, "form": VerifyForm(initial={"number": number})}
    if certificate is None:
        return render(request, "certification/verify_result.html", context, status=404)
    return render(
        request,
        "certification/verify_result.html",
        {
            **context,
            "certificate": certificate,
            "status": certificate.status,
            "former_name": former_name(certificate),
            "credential_url": _credential_url(certificate),
        },
    )


def _credential_url(certificate) -> str | None:
    if not certificate.credentials.exists():
        return None
    return (
        reverse("api:certificate-credential", args=[certificate.number])
        + "?"
        + urlencode({"code": certificate.verification_code})
    )


def not_found(request):
    raise Http404
