"""A webhook receiver for trying deliveries locally (`make webhook-receiver`): prints each
event it is sent and whether its signature holds. Development only: it listens on loopback,
and the platform sends to loopback only with WEBHOOK_ALLOW_LOOPBACK=true (`make run`)."""

import hashlib
import hmac
import json
from http.server import BaseHTTPRequestHandler, HTTPServer

from django.core.management.base import BaseCommand


def signature_holds(secret: str, header: str, body: bytes) -> bool:
    """`t=<unix time>,v1=<hex>`: v1 is HMAC-SHA256 of `<t>.<body>` keyed with the secret."""
    parts = dict(item.split("=", 1) for item in header.split(",") if "=" in item)
    if "t" not in parts or "v1" not in parts:
        return False
    expected = hmac.new(
        secret.encode(), parts["t"].encode() + b"." + body, hashlib.sha256
    ).hexdigest()
    return hmac.compare_digest(expected, parts["v1"])


class Command(BaseCommand):
    help = "Listen on 127.0.0.1 for webhook deliveries and print them (development only)."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=9000)
        parser.add_argument(
            "--secret", default="", help="the webhook's secret, to check each signature"
        )

    def handle(self, *args, port: int, secret: str, **options):
        out = self.stdout

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                signature = self.headers.get("Fairrecruit-Signature", "")
                if secret:
                    verdict = (
                        "signature holds"
                        if signature_holds(secret, signature, body)
                        else "BAD SIGNATURE"
                    )
                else:
                    verdict = "signature not checked (give --secret)"
                try:
                    event = json.loads(body)
                    summary = (
                        f"{event['agency']['name']}: {event['old_status']} -> {event['new_status']}"
                    )
                except (ValueError, KeyError, TypeError):
                    summary = body[:200].decode(errors="replace")
                out.write(
                    f"{self.headers.get('Fairrecruit-Event-Id', '?')}  {summary}  ({verdict})"
                )
                self.send_response(204)
                self.end_headers()

            def log_message(self, format, *args):  # the line above says it all
                return

        server = HTTPServer(("127.0.0.1", port), Handler)
        out.write(f"Receiving webhooks at http://127.0.0.1:{port}/hook (Ctrl-C to stop)")
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            server.server_close()
