"""The project served by gunicorn in a process of its own, for the tests, benchmarks and
fuzzing that talk to it over a socket as clients do."""

import contextlib
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[1]
GUNICORN = Path(sys.executable).with_name("gunicorn")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port: int, seconds: float = 15) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
            return True
        time.sleep(0.1)
    return False


def start_gunicorn(env: dict, port: int, *options: str, workers: int = 1) -> subprocess.Popen:
    """gunicorn serving config.wsgi on 127.0.0.1:port, once it accepts connections."""
    server = subprocess.Popen(
        [
            str(GUNICORN),
            "config.wsgi",
            "--workers",
            str(workers),
            "--bind",
            f"127.0.0.1:{port}",
            *list(options),
        ],
        cwd=PROJECT_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    if not wait_for_port(port):
        server.kill()
        raise RuntimeError(f"gunicorn did not start on port {port}")
    return server


def stop(server: subprocess.Popen) -> None:
    server.send_signal(signal.SIGTERM)
    server.wait(timeout=30)
