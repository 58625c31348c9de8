"""What a verifier downloads, without an account: an issuer's DID document and its status
lists (docs/credentials.md). Both may be cached; a list is signed afresh when asked."""

from django.conf import settings
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET

from certification.credentials import KeyProblem, body_did_document, status_list_token
from certification.models import StatusList
from certification.vc.core import PURPOSES
from recruiters.models import CertificationBody


def _cached(response):
    patch_cache_control(response, public=True, max_age=settings.CREDENTIAL_STATUS_MAX_AGE)
    response["Access-Control-Allow-Origin"] = "*"  # verifiers in browsers and wallets
    return response


@require_GET
def did_document(request, slug: str):
    """did:web:<host>:bodies:<slug> resolves here."""
    body = get_object_or_404(CertificationBody, slug=slug)
    return _cached(JsonResponse(body_did_document(body), content_type="application/did+json"))


@require_GET
def status_list(request, slug: str, number: int, purpose: str):
    if purpose not in PURPOSES:
        raise Http404
    listed = get_object_or_404(
        StatusList.objects.select_related("certification_body"),
        certification_body__slug=slug,
        number=number,
    )
    try:
        token = status_list_token(listed, purpose)
    except KeyProblem:
        # A list that cannot be signed is not served unsigned: verifiers retry.
        response = HttpResponse(
            "The status list cannot be signed now; try again later.\n",
            status=503,
            content_type="text/plain; charset=utf-8",
        )
        response["Retry-After"] = "300"
        return response
    return _cached(HttpResponse(token, content_type="application/vc+jwt"))
