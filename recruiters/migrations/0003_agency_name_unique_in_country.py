"""Two agencies may not hold the same name in one country, whatever its case, accents or
spacing: `name_key` keeps the name as compared, and a constraint holds it unique per
country. Agencies already sharing a name must be renamed first: the migration names them."""

import unicodedata

from django.db import migrations, models


def _key(name: str) -> str:  # recruiters.models.name_key, as of this migration
    decomposed = unicodedata.normalize("NFKD", name)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.casefold().split())


def fill_keys(apps, schema_editor):
    Agency = apps.get_model("recruiters", "Agency")
    seen: dict[tuple[str, str], str] = {}
    clashes = []
    for agency in Agency.objects.order_by("pk").iterator():
        agency.name_key = _key(agency.name)
        agency.save(update_fields=["name_key"])
        pair = (str(agency.country), agency.name_key)
        if pair in seen:
            clashes.append(f"{agency.name!r} and {seen[pair]!r} in {agency.country}")
        seen.setdefault(pair, agency.name)
    if clashes:
        raise RuntimeError(
            "agencies share a name in one country; rename one of each before migrating: "
            + "; ".join(clashes)
        )


class Migration(migrations.Migration):
    dependencies = [("recruiters", "0002_api_keys")]

    operations = [
        migrations.AddField(
            model_name="agency",
            name="name_key",
            field=models.CharField(default="", editable=False, max_length=200),
            preserve_default=False,
        ),
        migrations.RunPython(fill_keys, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="agency",
            constraint=models.UniqueConstraint(
                fields=("country", "name_key"),
                name="agency_name_unique_in_country",
                violation_error_message="An agency of this name is already registered in this country.",
            ),
        ),
    ]
