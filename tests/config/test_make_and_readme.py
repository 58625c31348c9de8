"""What a newcomer types works as written: `make run`, which starts the webhook worker beside
the server and stops both on Ctrl-C, then the README's commands through `make manage`."""

import os
import re
import signal
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest
from django.core.management import get_commands

from tests.conftest import PROJECT_DIR
from tests.servers import free_port

pytestmark = pytest.mark.outside_the_database

DOCUMENTS = [PROJECT_DIR / "README.md", *sorted((PROJECT_DIR / "docs").glob("*.md"))]
# The environment a newcomer's shell has: no DEBUG, no SECRET_KEY, no DATABASE_URL.
NEWCOMER = {
    key: value
    for key, value in os.environ.items()
    if key not in ("DEBUG", "SECRET_KEY", "DATABASE_URL", "DJANGO_SETTINGS_MODULE")
}


def code_lines(document: Path) -> list[str]:
    text = document.read_text(encoding="utf-8")
    blocks = re.findall(r"```(?:sh|bash)?\n(.*?)```", text, flags=re.S)
    inline = re.findall(r"`([^`\n]+)`", text)
    return [line.strip() for block in blocks for line in block.splitlines()] + inline


def test_no_document_gives_a_bare_manage_py_command():
    bare = [
        f"{document.name}: {line}"
        for document in DOCUMENTS
        for line in code_lines(document)
        if re.match(r"(python3? )?manage\.py ", line)
    ]

    assert bare == []


def test_every_make_manage_command_of_the_documents_exists():
    known = set(get_commands())
    named = {
        re.match(r"[a-z_]+", command).group()
        for document in DOCUMENTS
        for command in re.findall(r'make manage CMD="?([a-z_][^"`]*)', document.read_text())
    }

    assert named and named <= known, named - known


def descendants(pid: int) -> list[int]:
    found, queue = [], [pid]
    while queue:
        parent = queue.pop()
        try:
            tasks = list(Path(f"/proc/{parent}/task").iterdir())
        except FileNotFoundError:  # the process ended meanwhile
            continue
        for task in tasks:
            try:
                children = (task / "children").read_text().split()
            except FileNotFoundError:  # a thread (or the process) ended while we read
                continue
            found += [int(child) for child in children]
            queue += [int(child) for child in children]
    return found


def command_line(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except FileNotFoundError:
        return ""


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="reads /proc (Linux)")
def test_make_run_serves_with_the_webhook_worker_and_ctrl_c_stops_both(tmp_path):
    port = free_port()
    env = {**NEWCOMER, "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    run = subprocess.Popen(
        ["make", "--no-print-directory", "run", f"PORT={port}"],
        cwd=PROJECT_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group, as a terminal gives it
    )
    try:
        health = None
        for _ in range(600):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1) as r:
                    health = r.status
                    break
            except OSError:
                time.sleep(0.2)
        processes = {pid: command_line(pid) for pid in descendants(run.pid)}
        workers = [
            pid
            for pid, line in processes.items()
            if "manage.py db_worker" in line and "python" in line.split()[0]
        ]

        assert health == 200
        assert len(workers) == 1, processes

        os.killpg(run.pid, signal.SIGINT)  # Ctrl-C in the terminal
        run.wait(timeout=30)
        time.sleep(0.5)
        assert [pid for pid in [*processes, *workers] if command_line(pid)] == []
    finally:
        if run.poll() is None:
            os.killpg(run.pid, signal.SIGKILL)
        output = run.stdout.read().decode(errors="replace") if run.stdout else ""
    assert "Webhook and e-mail worker running" in output

    # Afterwards, a command of the README works as written, on the database make run made.
    scored = subprocess.run(
        [
            "make",
            "--no-print-directory",
            "manage",
            "CMD=score_answers docs/examples/answer-sheet.json",
        ],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert scored.returncode == 0, scored.stdout + scored.stderr
    assert '"readiness"' in scored.stdout
