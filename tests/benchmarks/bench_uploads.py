"""Uploads bounded while they arrive (`make bench`): figures, never assertions.

A production-like server (gunicorn, one sync worker, DEBUG off, SQLite in a temporary
folder) receives 300 MB bodies at the evidence and workbook endpoints of a draft case, sent
by a client that streams them from a generator (it holds 1 MB at a time):

- with an honest Content-Length of 300 MB;
- with a lying Content-Length just under the limit, then 300 MB anyway;
- chunked, with no Content-Length at all.

For each: the answer, how long it took, the worker's resident memory at rest and its peak
(VmHWM, reset before each upload by a fresh worker), and the largest file that appeared in
the server's temporary folder while it ran (polled every 10 ms).
"""

import contextlib
import http.client
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(PROJECT_DIR))
from tests.servers import free_port, start_gunicorn, stop  # noqa: E402

PYTHON = sys.executable
MB = 1024 * 1024
TOTAL = 300 * MB


def environment(folder: Path) -> dict:
    return {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{folder / 'bench.sqlite3'}",
        "SECRET_KEY": "bench-only-" + "u3Kp9Lm2Qr7Tz4Vw8Ys1Bn6Hd0Gf5Jc" * 2,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "SESSION_COOKIE_SECURE": "false",
        "CSRF_COOKIE_SECURE": "false",
        "PRIVATE_MEDIA_ROOT": str(folder / "private"),
        "TMPDIR": str(folder / "tmp"),
        "LOG_LEVEL": "WARNING",
        "DJANGO_LOG_LEVEL": "ERROR",
        "THROTTLE_KEY": "100000/minute",
    }


def prepare(env: dict) -> tuple[str, int]:
    """A migrated database with the demo, and (a token of the demo agency, its draft case)."""
    debug = {**env, "DEBUG": "true"}
    manage = [PYTHON, "manage.py"]
    for command in (
        ["migrate", "--noinput", "-v", "0"],
        ["load_standard", "scoring/standards/fairrecruit-reference-1.0.yaml"],
        ["seed_demo"],
    ):
        subprocess.run(
            manage + command, cwd=PROJECT_DIR, env=debug, check=True, capture_output=True
        )
    script = (
        "import json; from certification.models import CertificationCase as C; "
        "from recruiters import services as s; from django.contrib.auth import get_user_model as U; "
        "u = U().objects.get(username='agency_mekong'); "
        "c = C.objects.filter(agency__memberships__user=u, state='draft').first(); "
        "print(json.dumps([s.personal_token_create(user=u, name='bench')[1], c.pk]))"
    )
    out = subprocess.run(
        [*manage, "shell", "-c", script],
        cwd=PROJECT_DIR,
        env=debug,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    token, case = json.loads(out.strip().splitlines()[-1])
    return token, case


def memory(pid: int) -> dict:
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            fields[name] = int(value.split()[0]) / 1024
    return fields


class TempWatcher(threading.Thread):
    def __init__(self, folder: Path):
        super().__init__(daemon=True)
        self.folder, self.largest, self.running = folder, 0, True

    def run(self):
        while self.running:
            for entry in self.folder.glob("*"):
                with contextlib.suppress(FileNotFoundError):
                    self.largest = max(self.largest, entry.stat().st_size)
            time.sleep(0.01)


def body(boundary: str, field: str, name: str, total: int):
    yield (
        f'--{boundary}\r\nContent-Disposition: form-data; name="question"\r\n\r\nA1-01\r\n'
        f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"; filename="{name}"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n"
    ).encode()
    chunk = b"%PDF-1.7\n" + b" " * (MB - 9)
    sent = 0
    while sent < total:
        yield chunk
        sent += len(chunk)
    yield f"\r\n--{boundary}--\r\n".encode()


def send(port: int, token: str, path: str, mode: str, limit: int) -> tuple[str, float]:
    boundary = "bench-boundary"
    headers = {
        "Authorization": f"Bearer {token}",
        "Content-Type": f"multipart/form-data; boundary={boundary}",
    }
    if mode == "honest":
        headers["Content-Length"] = str(TOTAL + 400)
    elif mode == "lying":
        headers["Content-Length"] = str(limit + 60 * 1024)
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    started = time.perf_counter()
    try:
        connection.putrequest("POST", path)
        for key, value in headers.items():
            connection.putheader(key, value)
        if mode == "chunked":
            connection.putheader("Transfer-Encoding", "chunked")
        connection.endheaders()
        for piece in body(boundary, "file", "evidence.pdf", TOTAL):
            if mode == "chunked":
                connection.send(f"{len(piece):x}\r\n".encode() + piece + b"\r\n")
            else:
                connection.send(piece)
        if mode == "chunked":
            connection.send(b"0\r\n\r\n")
        response = connection.getresponse()
        answer = f"{response.status} {response.read()[:90].decode(errors='replace')}"
    except (BrokenPipeError, ConnectionResetError):
        # The server answered and closed while the client was still sending.
        try:
            response = connection.getresponse()
            answer = f"{response.status} (connection closed early)"
        except Exception:
            answer = "connection closed by the server before the body ended"
    finally:
        connection.close()
    return answer, time.perf_counter() - started


def serve(env: dict, port: int) -> subprocess.Popen:
    return start_gunicorn(env, port, "--timeout", "120")


def worker_of(server: subprocess.Popen) -> int:
    for _ in range(50):
        children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
        if children:
            return int(children[0])
        time.sleep(0.1)
    raise RuntimeError("no gunicorn worker")


def main():
    folder = Path(tempfile.mkdtemp(prefix="fairrecruit-bench-uploads-"))
    (folder / "tmp").mkdir()
    env = environment(folder)
    print("Uploads of 300 MB (gunicorn, 1 sync worker, DEBUG off):")
    try:
        token, case = prepare(env)
        limits = {"evidence": 10 * MB, "workbook": 5 * MB}
        for endpoint, limit in limits.items():
            for mode in ("honest", "lying", "chunked"):
                port = free_port()
                server = serve(env, port)  # a fresh worker: VmHWM is this upload's peak
                try:
                    worker = worker_of(server)
                    warm = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                    warm.request(
                        "GET",
                        f"/api/v1/cases/{case}/",
                        headers={"Authorization": f"Bearer {token}"},
                    )
                    warm.getresponse().read()
                    warm.close()
                    idle = memory(worker)["VmRSS"]
                    watcher = TempWatcher(folder / "tmp")
                    watcher.start()
                    answer, seconds = send(
                        port, token, f"/api/v1/cases/{case}/{endpoint}/", mode, limit
                    )
                    watcher.running = False
                    watcher.join()
                    peak = memory(worker)["VmHWM"]
                    print(
                        f"  {endpoint:8} {mode:7}: {answer[:60]!r} in {seconds:.2f} s; worker RSS "
                        f"{idle:.1f} MB at rest, peak {peak:.1f} MB (+{peak - idle:.1f} MB); "
                        f"largest temporary file {watcher.largest / MB:.2f} MB "
                        f"(limit {limit / MB:.0f} MB)"
                    )
                finally:
                    stop(server)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
