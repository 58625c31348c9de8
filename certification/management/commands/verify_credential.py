"""Check a certificate's credential offline, with files only (certification/vc/core.py)."""

import base64
import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from certification.vc import core


def _list_url(compact: str) -> str:
    """The URL a signed status list says it is (its signature is checked by verify())."""
    try:
        part = compact.split(".")[1]
        return json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))["id"]
    except (IndexError, KeyError, TypeError, ValueError, RecursionError):
        return ""


class Command(BaseCommand):
    help = (
        "Verify a credential (vc+jwt) with its issuer's DID document and, if given, its status "
        "lists: prints valid, suspended, revoked, expired, not_yet_valid or invalid with the "
        "reason; exit status 0 only when valid."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the credential, as downloaded (.jwt)")
        parser.add_argument("--did", required=True, help="the issuer's did.json")
        parser.add_argument(
            "--status-list",
            action="append",
            default=None,
            help="a status list as downloaded (repeat for revocation and suspension)",
        )

    def handle(self, *args, **options):
        def read(path: str) -> str:
            try:
                return Path(path).read_text(encoding="utf-8").strip()
            except (OSError, UnicodeDecodeError) as error:
                raise CommandError(f"cannot read {path}: {error}") from None

        token = read(options["file"])
        try:
            did_doc = json.loads(read(options["did"]))
        except (ValueError, RecursionError):
            did_doc = None  # the verifier names it: malformed_did_document
        lists = None
        if options["status_list"] is not None:
            lists = {}
            for path in options["status_list"]:
                compact = read(path)
                lists[_list_url(compact)] = compact
        verdict = core.verify(token, did_doc, lists)
        self.stdout.write(str(verdict))
        if not verdict.ok:
            raise SystemExit(1)
