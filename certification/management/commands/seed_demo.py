from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.test.utils import override_settings

from certification.demo import CASES, seed_cases
from recruiters.demo import AGENCY_MEMBERS, DEMO_PASSWORD, USERS, seed_demo


class Command(BaseCommand):
    help = "Create demo users, parties and cases in every state (DEBUG only; running it again changes nothing)."

    def add_arguments(self, parser):
        parser.add_argument("--base-url", default="http://127.0.0.1:8000")

    def handle(self, *args, base_url: str, **options):
        if not settings.DEBUG:
            raise CommandError(
                "seed_demo creates accounts whose password is published; it runs only with DEBUG=true"
            )
        # Demo cases move through many transitions: their notices would only be noise.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
            created = seed_demo()
            cases = seed_cases()
        if created or cases:
            self.stdout.write(f"Demo data: {created} objects and {cases} cases created")
        else:
            self.stdout.write("Demo data: already present")
        self.stdout.write("")
        self.stdout.write(f"  {base_url}/admin/    administration")
        self.stdout.write(f"  {base_url}/healthz   health check")
        self.stdout.write(f"  {base_url}/api/v1/docs/   REST API, interactive documentation")
        self.stdout.write(f"  {base_url}/api/v1/registry/   public registry of certified agencies")
        self.stdout.write("")
        self.stdout.write(f"Demo logins (password for every one: {DEMO_PASSWORD}):")
        for username, description, *_rest in USERS:
            self.stdout.write(f"  {username:<16} {description}")
        for agency, username in AGENCY_MEMBERS.items():
            self.stdout.write(f"  {username:<16} agency member of {agency} (case: {CASES[agency]})")
