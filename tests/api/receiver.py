"""A real HTTP receiver on 127.0.0.1 for webhook tests: it can be down for a while,
checks signatures, and keeps each event once however often it is delivered."""

import hashlib
import hmac
import io
import json
import threading
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from django.core.management import call_command


def run_worker() -> None:
    """The background worker, once over every task that is due (django-tasks, database)."""
    call_command(
        "db_worker",
        "--batch",
        "--interval",
        "0",
        "--no-startup-delay",
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )


class Receiver:
    def __init__(self, secret: str, fail_first: int = 0, on_request=None):
        self.secret = secret
        self.fail_first = fail_first
        self.on_request = on_request  # called in the receiver's thread for each request
        self.requests = 0
        self.events: dict[str, dict] = {}  # by event id: duplicates dropped
        self.received: Counter = Counter()  # accepted deliveries by event id, duplicates counted
        self.lock = threading.Lock()  # the server answers each request in a thread of its own
        self.bad_signatures = 0
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests += 1
                if receiver.on_request is not None:
                    receiver.on_request()
                if receiver.requests <= receiver.fail_first:
                    self.send_response(503)
                    self.end_headers()
                    return
                if not receiver.verify(self.headers["Fairrecruit-Signature"], body):
                    receiver.bad_signatures += 1
                    self.send_response(400)
                    self.end_headers()
                    return
                event = json.loads(body)
                assert event["id"] == self.headers["Fairrecruit-Event-Id"]
                with receiver.lock:
                    receiver.events.setdefault(event["id"], event)
                    receiver.received[event["id"]] += 1
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/fairrecruit/events"

    def verify(self, header: str, body: bytes) -> bool:
        fields = dict(part.split("=", 1) for part in header.split(","))
        expected = hmac.new(
            self.secret.encode(), f"{fields['t']}.".encode() + body, hashlib.sha256
        ).hexdigest()
        return hmac.compare_digest(expected, fields["v1"])

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
