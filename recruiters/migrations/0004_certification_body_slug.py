"""Each certification body gets a slug: its did:web path (/bodies/<slug>/did.json)."""

from django.db import migrations, models
from django.utils.text import slugify

import recruiters.models.parties


def fill_slugs(apps, schema_editor):
    body_model = apps.get_model("recruiters", "CertificationBody")
    taken = set()
    for body in body_model.objects.order_by("pk"):
        base = slugify(body.name)[:50].strip("-") or "body"
        slug, number = base, 1
        while slug in taken:
            number += 1
            slug = f"{base}-{number}"
        taken.add(slug)
        body.slug = slug
        body.save(update_fields=["slug"])


class Migration(migrations.Migration):
    dependencies = [("recruiters", "0003_agency_name_unique_in_country")]

    operations = [
        migrations.AddField(
            model_name="certificationbody",
            name="slug",
            # No index yet: the unique one below makes it (two would clash on PostgreSQL).
            field=models.SlugField(
                db_index=False, max_length=60, null=True, verbose_name="short name"
            ),
        ),
        migrations.RunPython(fill_slugs, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="certificationbody",
            name="slug",
            field=models.SlugField(
                blank=True,
                help_text=(
                    "Names the body in its web address: letters, digits and hyphens; made "
                    "from the name when left blank."
                ),
                max_length=60,
                unique=True,
                validators=[recruiters.models.parties.SLUG_WORDS],
                verbose_name="short name",
            ),
        ),
    ]
