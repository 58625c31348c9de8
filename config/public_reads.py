"""The two public reads that employers' systems and phones make most often: an agency's
status and a certificate's verification, answered here without DRF's dispatch when the
request is a plain anonymous GET for JSON. The status is then one round trip to the cache
(the throttle's count and the cached answer pipelined), the verification that round trip
and one indexed query.

Anything else goes on to the DRF view, which answers as docs/api.md says: a request with
credentials or a session, another method, an HTML browser, a throttled caller, a status
not cached yet, a certificate not found. The view is wrapped, not replaced, so that the
schema and the tests see the same view.
"""

import json
from functools import wraps

from django.conf import settings
from django.http import HttpResponse
from django.utils.cache import patch_vary_headers

from certification.api.employers import status_response, verification_answer
from certification.status import certificate_verify, status_cache_key
from config.throttling import anonymous_count_and_read

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
    `answer` returns None to hand the request on."""

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
        return drf_view(request, *args, **kwargs)

    return view


def agency_status(request, public_id):
    allowed, hit = anonymous_count_and_read(request, read=status_cache_key(public_id))
    if not allowed or hit is None:
        return None
    return status_response(request, *hit)


def certificate_verification(request, number):
    allowed, _ = anonymous_count_and_read(request)
    if not allowed:
        return None
    certificate = certificate_verify(number, request.GET.get("code", ""))
    if certificate is None:
        return None  # the view answers the same 404 whichever of number and code is wrong
    body = json.dumps(verification_answer(certificate), ensure_ascii=False, separators=(",", ":"))
    return HttpResponse(body.encode(), content_type="application/json")
