from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from recruiters.demo import DEMO_PASSWORD, USERS, seed_demo


class Command(BaseCommand):
    help = "Create demo users, agencies, employers and a certification body (DEBUG only)."

    def add_arguments(self, parser):
        parser.add_argument("--base-url", default="http://127.0.0.1:8000")

    def handle(self, *args, base_url: str, **options):
        if not settings.DEBUG:
            raise CommandError(
                "seed_demo creates accounts whose password is published; it runs only with DEBUG=true"
            )
        created = seed_demo()
        self.stdout.write(
            f"Demo data: {created} objects created" if created else "Demo data: already present"
        )
        self.stdout.write("")
        self.stdout.write(f"  {base_url}/admin/    administration")
        self.stdout.write(f"  {base_url}/healthz   health check")
        self.stdout.write("")
        self.stdout.write(f"Demo logins (password for every one: {DEMO_PASSWORD}):")
        for username, description, *_rest in USERS:
            self.stdout.write(f"  {username:<10} {description}")
