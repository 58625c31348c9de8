import json
import subprocess
import sys

import pytest

from tests.conftest import PROJECT_DIR

pytestmark = pytest.mark.outside_the_database  # pure: no database at all

PROBE = """
import json, sys
import scoring.engine, scoring.sheets, scoring.standard_file
from scoring.engine import score_self_assessment
loaded = sorted(m for m in sys.modules if m == "django" or m.startswith(("django.", "rest_framework")))
print(json.dumps(loaded))
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
    assert json.loads(done.stdout) == []
