"""A certificate records the agency's identity at issue (name, legal name, registration and
licence numbers, country): the certificate names the agency that was audited. Certificates
issued before take the identity their agency has now, the best record there is."""

import django_countries.fields
from django.db import migrations, models

IDENTITY = {
    "agency_name": "name",
    "agency_legal_name": "legal_name",
    "agency_registration_number": "registration_number",
    "agency_licence_number": "licence_number",
    "agency_country": "country",
}


def record_identity(apps, schema_editor):
    Certificate = apps.get_model("certification", "Certificate")
    for certificate in Certificate.objects.select_related("case__agency").iterator():
        agency = certificate.case.agency
        for field, source in IDENTITY.items():
            setattr(certificate, field, getattr(agency, source))
        certificate.save(update_fields=list(IDENTITY))


class Migration(migrations.Migration):
    dependencies = [("certification", "0006_event_name_audit_plan")]

    operations = [
        migrations.AddField(
            model_name="certificate",
            name="agency_name",
            field=models.CharField(default="", max_length=200, verbose_name="agency's name"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="certificate",
            name="agency_legal_name",
            field=models.CharField(
                default="", max_length=255, verbose_name="agency's legal name"
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="certificate",
            name="agency_registration_number",
            field=models.CharField(
                default="", max_length=100, verbose_name="agency's registration number"
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="certificate",
            name="agency_licence_number",
            field=models.CharField(
                blank=True, max_length=100, verbose_name="agency's licence number"
            ),
        ),
        migrations.AddField(
            model_name="certificate",
            name="agency_country",
            field=django_countries.fields.CountryField(
                default="", max_length=2, verbose_name="agency's country"
            ),
            preserve_default=False,
        ),
        migrations.RunPython(record_identity, migrations.RunPython.noop),
    ]
