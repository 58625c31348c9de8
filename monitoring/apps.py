from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "monitoring"
    verbose_name = _("Monitoring: complaints")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from monitoring import checks  # noqa: F401 - registers the key checks
