"""Bulk supplier checks (employer key): up to 5,000 suppliers at once, each checked on its
own, answered as JSON or as an xlsx file. Their paths are a public contract (docs/api.md)."""

import json
import re

from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from certification import exports
from certification.api.employers import (
    STATUSES,
    AgencyRefSerializer,
    CertificateSummarySerializer,
    HasEmployerKey,
)
from certification.status import supplier_check
from recruiters.identifiers import parse_uuid

MAX_SUPPLIERS = 5000


@extend_schema_field(
    {
        "description": 'one supplier: `{"id": PUBLIC_ID}`, or '
        '`{"country": "NP", "registration_number": "…"}`. Any item is '
        "accepted: a malformed one gets a result with status `invalid` and its problems",
        "example": {"country": "NP", "registration_number": "NP-REG-2011-0456"},
    }
)
class SupplierItemField(serializers.JSONField):
    pass


class SupplierCheckRequestSerializer(serializers.Serializer):
    """The suppliers to check, each on its own."""

    suppliers = serializers.ListField(
        child=SupplierItemField(),
        min_length=1,
        max_length=MAX_SUPPLIERS,
        help_text="1 to 5,000 suppliers; a result for each, in order",
    )


_COUNTRY = re.compile(r"[A-Za-z]{2}")
_FIELDS = ("id", "country", "registration_number")
# What no text of ours may hold: control characters (a spreadsheet refuses them) and lone
# surrogates (JSON allows "\ud800"; UTF-8, the database and the answer itself cannot).
_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")


def _problem(attr: str | None, detail: str, code: str = "invalid") -> dict:
    return {"code": code, "detail": detail, "attr": attr}


def _shown(value):
    """A value echoed back as it was sent, made safe to write in JSON and in a workbook."""
    if isinstance(value, str):
        return _UNSAFE.sub("\ufffd", value[:200])
    if (
        value is None
        or isinstance(value, bool | int)
        or (isinstance(value, float) and value == value)
    ):
        return value
    return _UNSAFE.sub("\ufffd", json.dumps(value, ensure_ascii=True)[:200])


def _text(value) -> str | None:
    """A field's text without its surrounding spaces, or None when it is not a clean text."""
    if not isinstance(value, str) or _UNSAFE.search(value):
        return None
    return value.strip()


def supplier_item(raw) -> tuple[dict | None, dict, list[dict]]:
    """(the supplier to look up or None, the input to show back, the problems). `attr`
    names a field of the item; null is the item as a whole."""
    if not isinstance(raw, dict):
        return (
            None,
            {},
            [
                _problem(
                    None,
                    'Each supplier is an object: {"id": …} or '
                    '{"country": …, "registration_number": …}.',
                )
            ],
        )
    shown = {name: _shown(raw[name]) for name in _FIELDS if name in raw}
    problems = []
    supplier = {}
    if "id" in raw:
        value = _text(raw["id"])
        public_id = parse_uuid(value) if value else None
        if public_id is None:
            problems.append(_problem("id", "Must be an agency id (a UUID in a string)."))
        supplier["id"] = public_id
    if "country" in raw:
        value = _text(raw["country"])
        if value is None or not _COUNTRY.fullmatch(value):
            problems.append(_problem("country", "Must be a two-letter country code."))
        supplier["country"] = value
    if "registration_number" in raw:
        value = _text(raw["registration_number"])
        if not value:
            problems.append(_problem("registration_number", "Must be a registration number."))
        elif len(value) > 100:
            problems.append(
                _problem("registration_number", "At most 100 characters.", code="max_length")
            )
        supplier["registration_number"] = value
    by_id = "id" in raw
    by_registration = "country" in raw and "registration_number" in raw
    if by_id == by_registration or (by_id and ("country" in raw or "registration_number" in raw)):
        problems.append(_problem(None, "Give either id, or country and registration_number."))
    return (None if problems else supplier), shown, problems


def check_suppliers(items: list) -> list[dict]:
    """A result per item, in order: malformed items carry their problems, the rest are
    looked up together (a constant number of queries)."""
    parsed = [supplier_item(raw) for raw in items]
    found = iter(supplier_check([supplier for supplier, _shown, _ in parsed if supplier]))
    results = []
    for supplier, shown, problems in parsed:
        if supplier:
            results.append(next(found))
        else:
            results.append(
                {
                    "input": shown,
                    "status": "invalid",
                    "agency": None,
                    "certificate": None,
                    "errors": problems,
                }
            )
    return results


class SupplierProblemSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="`invalid` or `max_length`")
    detail = serializers.CharField()
    attr = serializers.CharField(
        allow_null=True, help_text="the item's field (`id`, `country`, …), or null for the item"
    )


class SupplierResultSerializer(serializers.Serializer):
    input = serializers.DictField(help_text="the item's id, country and registration_number")
    status = serializers.ChoiceField(choices=[*STATUSES, "not_found", "invalid"])
    agency = AgencyRefSerializer(allow_null=True)
    certificate = CertificateSummarySerializer(allow_null=True)
    errors = SupplierProblemSerializer(
        many=True, required=False, help_text="only for `invalid`: what is wrong with the item"
    )
    under_appeal = serializers.BooleanField(
        required=False,
        help_text="only where the scheme shows appeals (APPEAL_SHOWN_ON_PUBLIC_STATUS): a "
        "decision about the agency is under appeal; the status stays in force meanwhile",
    )


class SupplierCheckResponseSerializer(serializers.Serializer):
    results = SupplierResultSerializer(many=True)


def _suppliers_of(request) -> list:
    data = SupplierCheckRequestSerializer(data=request.data)
    data.is_valid(raise_exception=True)
    return data.validated_data["suppliers"]


class SupplierCheckView(APIView):
    """Check up to 5,000 suppliers at once (employer key)."""

    permission_classes = [HasEmployerKey]

    @extend_schema(
        request=SupplierCheckRequestSerializer, responses={200: SupplierCheckResponseSerializer}
    )
    def post(self, request):
        return Response({"results": check_suppliers(_suppliers_of(request))})


class SupplierCheckExportView(APIView):
    """The same check as POST /api/v1/supplier-checks/, answered as an xlsx file."""

    permission_classes = [HasEmployerKey]

    @extend_schema(
        request=SupplierCheckRequestSerializer, responses={(200, exports.XLSX): OpenApiTypes.BINARY}
    )
    def post(self, request):
        results = check_suppliers(_suppliers_of(request))
        handle = exports.workbook_file([exports.supplier_sheet(results)])
        return FileResponse(
            handle, as_attachment=True, filename="supplier-check.xlsx", content_type=exports.XLSX
        )
