import os

from django.apps import AppConfig
from django.apps import apps as global_apps
from django.core.checks import Tags, Warning, register
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def ensure_sectors(sender, using="default", apps=global_apps, **kwargs):
    """Keep the fixed list of sectors present, also after a test flushes the tables."""
    from recruiters.models import SectorCode

    try:
        sector_model = apps.get_model("recruiters", "Sector")
    except LookupError:  # migrations not yet applied that far
        return
    sector_model.objects.using(using).bulk_create(
        [sector_model(code=code) for code in SectorCode.values], ignore_conflicts=True
    )


class RecruitersConfig(AppConfig):
    name = "recruiters"
    verbose_name = _("Parties of the scheme")

    def ready(self) -> None:
        from recruiters import schema  # noqa: F401 - registers the OpenAPI auth schemes

        post_migrate.connect(ensure_sectors, sender=self)
        register(link_hash_key_check, Tags.security, deploy=True)
        register(two_factor_check, Tags.security, deploy=True)
        from recruiters.links.screening import screening_provider_check

        register(screening_provider_check)


def link_hash_key_check(app_configs, **kwargs):
    """Without LINK_HASH_KEY the hashes of identity documents and bank accounts hang on
    SECRET_KEY: rotating it would silently unlink everything stored."""
    from django.conf import settings

    if settings.DEBUG or os.environ.get("LINK_HASH_KEY"):
        return []
    return [
        Warning(
            "LINK_HASH_KEY is not set: the link check's hashes are derived from SECRET_KEY, "
            "and a new SECRET_KEY would unlink every identity document and bank account "
            "stored.",
            hint="Set LINK_HASH_KEY to a long random value, once, and keep it.",
            id="recruiters.W001",
        )
    ]


def two_factor_check(app_configs, **kwargs):
    """Reviewers, auditors and staff take decisions on workers' lives: a stolen password
    alone must not be enough (docs/onboarding.md)."""
    from django.conf import settings

    if settings.DEBUG or settings.TWO_FACTOR_REQUIRED:
        return []
    return [
        Warning(
            "TWO_FACTOR_REQUIRED is off: reviewers, auditors and staff sign in with a "
            "password alone.",
            hint="Unset TWO_FACTOR_REQUIRED (it is on by default outside DEBUG).",
            id="recruiters.W002",
        )
    ]
