"""The link check's records of every agency already registered: its names, registration
and licence numbers and address, as agency_details_refresh keeps them from now on."""

from django.db import migrations


def record(apps, schema_editor):
    from recruiters.links import engine  # pure functions, no models

    agency_model = apps.get_model("recruiters", "Agency")
    detail_model = apps.get_model("recruiters", "AgencyDetail")
    normalise = {
        "name": engine.organisation_key,
        "registration": engine.identifier,
        "licence": engine.identifier,
        "address": engine.address,
    }
    rows = []
    for agency in agency_model.objects.order_by("pk").iterator(chunk_size=2000):
        values = [
            ("name", agency.name),
            ("name", agency.legal_name),
            ("registration", agency.registration_number),
            ("licence", agency.licence_number),
            ("address", agency.address),
        ]
        seen = set(
            detail_model.objects.filter(agency=agency, until__isnull=True).values_list(
                "kind", "normalised"
            )
        )
        for kind, value in values:
            normalised = normalise[kind](value or "")[:255]  # the columns hold 255
            if normalised and (kind, normalised) not in seen:
                seen.add((kind, normalised))
                rows.append(
                    detail_model(
                        agency=agency, kind=kind, value=value[:255], normalised=normalised
                    )
                )
        if len(rows) >= 5000:
            detail_model.objects.bulk_create(rows)
            rows = []
    detail_model.objects.bulk_create(rows)


class Migration(migrations.Migration):
    dependencies = [("recruiters", "0005_applications_and_people_behind_agencies")]

    operations = [migrations.RunPython(record, migrations.RunPython.noop)]
