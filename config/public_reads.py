"""The public reads that employers' systems and phones make most often: an agency's
status, a certificate's verification and the registry's pages, answered here without
DRF's dispatch when the request is a plain anonymous GET for JSON. A cached status or
verification is then one round trip to the cache (the throttle's count and the cached
answer pipelined); a cached registry page two (the count with the registry's version,
then the page). What is not cached yet is answered by the view, and kept.

Anything else goes on to the DRF view, which answers as docs/api.md says: a request with
credentials or a session, another method, an HTML browser, a throttled caller, a status
not cached yet, a certificate not found. The view is wrapped, not replaced, so that the
schema and the tests see the same view.
"""

import json
import logging
import secrets
from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.cache import patch_vary_headers

from certification.api.employers import status_response, verification_answer
from certification.status import (
    REGISTRY_CACHE_SECONDS,
    REGISTRY_VERSION_KEY,
    VERIFICATION_CACHE_SECONDS,
    certificate_verify,
    code_digest,
    kept,
    registry_page_key,
    registry_version,
    status_cache_key,
    verification_cache_key,
)
from config.throttling import anonymous_count_and_read

logger = logging.getLogger(__name__)

# What the view's answer carries besides: DRF's Allow and Vary: Accept, and Vary: Cookie
# from the session it looks at, so that a shared cache keeps the answers apart as it would.
ALLOW = "GET, HEAD, OPTIONS"
VARY = ("Accept", "Cookie")


# Accept headers the lean path's compact JSON answers as DRF's negotiation would; any
# other (HTML, XML, JSON with parameters) goes to the view, which renders it or says 406.
PLAIN_JSON_ACCEPTS = frozenset({"", "*/*", "application/*", "application/json"})


def _plain_anonymous_get(request) -> bool:
    accepts = {part.strip() for part in request.META.get("HTTP_ACCEPT", "").split(",")}
    return (
        request.method == "GET"
        and "HTTP_AUTHORIZATION" not in request.META
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and accepts <= PLAIN_JSON_ACCEPTS
        and "format" not in request.GET
    )


def lean(drf_view, answer):
    """`drf_view` with `answer(request, **kwargs)` tried first on plain anonymous GETs;
    `answer` returns None to hand the request on, after setting `request.lean_keep` to
    (key, seconds) when the view's successful answer is to be kept for the next."""

    @wraps(drf_view)  # keeps .cls and .initkwargs, which the schema generator reads
    def view(request, *args, **kwargs):
        if _plain_anonymous_get(request):
            try:
                response = answer(request, **kwargs)
            except Exception:  # e.g. the cache away: the view answers it
                response = None  # in the API's error format, as it always did
            if response is not None:
                response["Allow"] = ALLOW
                patch_vary_headers(response, VARY)
                return response
        response = drf_view(request, *args, **kwargs)
        keep = getattr(request, "lean_keep", None)
        if keep is not None and response.status_code == 200:
            response.render()  # as the handler would; the same bytes are kept
            try:
                cache.set(keep[0], response.content, keep[1])
            except Exception:  # the cache away: answered all the same, kept next time
                logger.warning("public read not kept in the cache", exc_info=True)
        return response

    return view


def agency_status(request, public_id):
    allowed, hit = anonymous_count_and_read(request, read=status_cache_key(public_id))
    hit = kept(hit)
    if not allowed or hit is None:
        return None
    return status_response(request, *hit)


def certificate_verification(request, number):
    key = verification_cache_key(number)
    allowed, hit = anonymous_count_and_read(request, read=key)
    if not allowed:
        return None
    hit = kept(hit)
    given = code_digest(request.GET.get("code", ""))
    if hit is not None:  # (digest of the code, answer): compared in constant time
        expected, body = hit
        if not secrets.compare_digest(given, expected):
            return None  # the view answers the same 404 as for an unknown number
        return HttpResponse(body, content_type="application/json")
    certificate = certificate_verify(number, request.GET.get("code", ""))
    if certificate is None:
        return None  # the view answers the same 404 whichever of number and code is wrong
    body = json.dumps(verification_answer(certificate), ensure_ascii=False, separators=(",", ":"))
    body = body.encode()
    cache.add(key, (given, body), VERIFICATION_CACHE_SECONDS)  # never over a DROPPED mark
    return HttpResponse(body, content_type="application/json")


# The registry's query parameters (filters, the cursor, the page size): a page asked with
# any other is answered by the view and not kept, so that made-up parameters cannot fill
# the cache with pages.
REGISTRY_PARAMETERS = frozenset(
    {"country", "corridor", "sector", "status", "search", "cursor", "page_size"}
)


def registry(request):
    if not set(request.GET) <= REGISTRY_PARAMETERS:
        return None
    allowed, version = anonymous_count_and_read(request, read=REGISTRY_VERSION_KEY)
    if not allowed:
        return None
    version = version or registry_version()
    # One key per page whatever the order or repetition of the parameters in the address.
    asked = urlencode(sorted((name, request.GET.get(name)) for name in request.GET))
    key = registry_page_key(version, request.build_absolute_uri("/"), asked)
    body = cache.get(key)
    if body is None:
        request.lean_keep = (key, REGISTRY_CACHE_SECONDS)  # the view answers, and it is kept
        return None
    return HttpResponse(body, content_type="application/json")
