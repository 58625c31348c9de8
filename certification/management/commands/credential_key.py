"""Make a certification body's signing key, or rotate it (docs/credentials.md)."""

from django.core.management.base import BaseCommand, CommandError

from certification import credentials
from recruiters.models import CertificationBody


class Command(BaseCommand):
    help = (
        "Make an Ed25519 signing key for a certification body: the private key is written "
        "to CREDENTIAL_KEY_DIR/<slug>/<key name>.pem (mode 600; keep it safe, out of the "
        "database and out of git), the public key is published in the body's DID document. "
        "--rotate retires the key in use: it signs nothing more and stays published for "
        "what it signed before."
    )

    def add_arguments(self, parser):
        parser.add_argument("body", help="the certification body's slug")
        parser.add_argument("--rotate", action="store_true", help="retire the key in use")

    def handle(self, *args, **options):
        body = CertificationBody.objects.filter(slug=options["body"]).first()
        if body is None:
            known = ", ".join(CertificationBody.objects.values_list("slug", flat=True)) or "none"
            raise CommandError(f"No certification body is called {options['body']!r} ({known}).")
        try:
            record, path = credentials.create_key(body, rotate=options["rotate"])
        except credentials.KeyProblem as problem:
            raise CommandError(str(problem)) from None
        self.stdout.write(f"{body.name}: key {record.name} written to {path}")
        self.stdout.write(
            f"Published as {credentials.body_did(body)}#{record.name}; or set "
            f"{credentials.key_environment_variable(body)} to the file's content."
        )
