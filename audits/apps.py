from django.apps import AppConfig
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _


class AuditsConfig(AppConfig):
    name = "audits"
    verbose_name = _("Self-assessments and audits")

    def ready(self):
        import openpyxl

        # Agencies and employers upload workbooks: their XML must never expand entities or
        # fetch outside documents. openpyxl does that through defusedxml when it can.
        if not openpyxl.DEFUSEDXML:
            raise ImproperlyConfigured(
                "openpyxl is not parsing through defusedxml: install defusedxml and do not set "
                "OPENPYXL_DEFUSEDXML=False"
            )
