"""Print a new key for COMPLAINT_ENCRYPTION_KEYS (put it first; keep the old ones after it)."""

from cryptography.fernet import Fernet
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Print a new Fernet key for COMPLAINT_ENCRYPTION_KEYS."

    def handle(self, *args, **options):
        self.stdout.write(Fernet.generate_key().decode("ascii"))
