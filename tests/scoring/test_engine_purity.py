import json
import subprocess
import sys

import pytest

from tests.conftest import PROJECT_DIR

pytestmark = pytest.mark.outside_the_database  # pure: no database at all

# Every module of the engine package, found by walking it, so that a new one is covered too.
PROBE = """
import importlib, json, pkgutil, sys
import scoring.engine, scoring.sheets, scoring.standard_file
from scoring.engine import score_self_assessment
modules = sorted(m.name for m in pkgutil.walk_packages(scoring.engine.__path__, "scoring.engine."))
for name in modules:
    importlib.import_module(name)
loaded = sorted(m for m in sys.modules if m == "django" or m.startswith(("django.", "rest_framework")))
print(json.dumps({"engine": modules, "loaded": loaded}))
"""


def test_the_engine_imports_no_django_in_a_fresh_interpreter_without_settings():
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(PROJECT_DIR)}  # no DJANGO_SETTINGS_MODULE

    done = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )

    assert done.returncode == 0, done.stderr
    probed = json.loads(done.stdout)
    assert probed["loaded"] == []
    assert {
        "scoring.engine.audit",
        "scoring.engine.core",
        "scoring.engine.self_assessment",
        "scoring.engine.vocabulary",
        "scoring.engine.worker_costs",
    } <= set(probed["engine"])  # the walk found the package's modules
