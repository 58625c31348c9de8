"""An employer's pages: watchlist, bulk supplier check (pasted or uploaded, on screen and as
xlsx) and webhooks with their delivery log."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods

from certification import exports, supplier_lists
from certification.forms.employers import SupplierCheckForm, WatchForm, WebhookForm
from certification.models import WatchedAgency, Webhook
from certification.services import employers as employer_actions
from certification.status import statuses_for, supplier_check_lines
from certification.views.common import (
    apply_service_errors,
    employer_administrator_or_403,
    employer_or_404,
)
from recruiters.identifiers import id_or_404, parse_uuid
from recruiters.models import Agency


@login_required
@require_http_methods(["GET", "POST"])
def watchlist(request):
    employer = employer_or_404(request)
    form = WatchForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if request.POST.get("remove"):
            agency_public_id = parse_uuid(request.POST["remove"])
            if agency_public_id is None or not employer_actions.watch_remove(
                employer=employer, agency_public_id=agency_public_id
            ):
                raise Http404
            messages.success(request, gettext("The agency is no longer watched."))
            return _back(request)
        if request.POST.get("add"):
            # The Watch buttons of the registry, the agency's page and the suggestions.
            agency = Agency.objects.filter(public_id=parse_uuid(request.POST["add"])).first()
            if agency is None:
                raise Http404
            employer_actions.watch_add(employer=employer, agency=agency)
            messages.success(
                request, gettext("%(agency)s is now watched.") % {"agency": agency.name}
            )
            return _back(request)
        if form.is_valid():
            employer_actions.watch_add(employer=employer, agency=form.cleaned_data["supplier"])
            messages.success(request, gettext("The agency is now watched."))
            return redirect("web:watchlist")
        status = 400
    watches = WatchedAgency.objects.filter(employer=employer).select_related("agency")
    page = Paginator(watches.order_by("agency__name", "pk"), 50).get_page(request.GET.get("page"))
    statuses = statuses_for([w.agency_id for w in page.object_list], timezone.localdate())
    rows = [(w, *statuses[w.agency_id]) for w in page.object_list]
    return render(
        request,
        "certification/watchlist.html",
        {"form": form, "page": page, "rows": rows, "employer": employer},
        status=status,
    )


def _back(request):
    """To the page the button was on (the registry, an agency's page), else the list."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect("web:watchlist")


@login_required
@require_http_methods(["GET", "POST"])
def supplier_check_page(request):
    employer_or_404(request)
    form = SupplierCheckForm(*((request.POST, request.FILES) if request.method == "POST" else ()))
    results, status = None, 200
    if request.method == "POST":
        if form.is_valid():
            parsed = form.cleaned_data["parsed"]
            if request.POST.get("download"):
                return _results_file(parsed)
            results = supplier_check_lines(parsed)
            # The list kept in the box for the next check: its valid lines (a file's too).
            form = SupplierCheckForm(
                initial={"suppliers": supplier_lists.as_text(supplier_lists.valid_only(parsed))}
            )
        else:
            status = 400
    return render(
        request,
        "certification/supplier_check.html",
        {
            "form": form,
            "results": results,
            "tally": _tally(results) if results else None,
            "as_text": supplier_lists.as_text([r["input"] for r in results]) if results else "",
        },
        status=status,
    )


def _tally(results) -> dict:
    invalid = sum(r["status"] == "invalid" for r in results)
    not_found = sum(r["status"] == "not_found" for r in results)
    return {"found": len(results) - invalid - not_found, "not_found": not_found, "invalid": invalid}


def _results_file(suppliers):
    results = supplier_check_lines(suppliers)
    handle = exports.workbook_file([exports.supplier_sheet(results)])
    return FileResponse(
        handle, as_attachment=True, filename="supplier-check.xlsx", content_type=exports.XLSX
    )


@login_required
@require_http_methods(["GET", "POST"])
def webhooks(request):
    employer = employer_administrator_or_403(request)
    form = WebhookForm(request.POST if request.method == "POST" else None)
    created, status = None, 200
    if request.method == "POST":
        if request.POST.get("delete"):
            if not employer_actions.webhook_delete(
                employer=employer, webhook_id=id_or_404(request.POST["delete"])
            ):
                raise Http404
            messages.success(request, gettext("The webhook is deleted."))
            return redirect("web:webhooks")
        if request.POST.get("test"):
            delivery = employer_actions.webhook_test(
                employer=employer, webhook_id=id_or_404(request.POST["test"])
            )
            if delivery is None:
                raise Http404
            messages.success(
                request, gettext("A test event is on its way; its delivery is listed below.")
            )
            return redirect("web:webhook-deliveries", pk=delivery.webhook_id)
        if form.is_valid():
            try:
                created = employer_actions.webhook_create(
                    employer=employer,
                    url=form.cleaned_data["url"],
                    secret=form.cleaned_data["secret"],
                )
            except ValidationError as error:
                status = apply_service_errors(form, error)
            else:
                form = WebhookForm()
        else:
            status = 400
    return render(
        request,
        "certification/webhooks.html",
        {
            "form": form,
            "created": created,
            "webhooks": Webhook.objects.filter(employer=employer).order_by("pk"),
        },
        status=status,
    )


@login_required
@require_GET
def webhook_deliveries(request, pk: int):
    employer = employer_or_404(request)
    webhook = Webhook.objects.filter(employer=employer, pk=pk).first()
    if webhook is None:
        raise Http404
    deliveries = webhook.deliveries.select_related("event__agency").order_by("-id")[:50]
    return render(
        request,
        "certification/webhook_deliveries.html",
        {"webhook": webhook, "deliveries": deliveries},
    )
