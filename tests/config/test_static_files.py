"""In production (DEBUG off, gunicorn), the pages and the admin come with their styles:
collectstatic gathers the files under hashed names, and WhiteNoise serves them compressed
and cached for good, with no other server."""

import gzip
import os
import re
import subprocess
import sys
import urllib.request

import pytest

from tests.conftest import PROJECT_DIR
from tests.servers import free_port, start_gunicorn, stop

pytestmark = pytest.mark.outside_the_database


@pytest.fixture(scope="module")
def production(tmp_path_factory):
    folder = tmp_path_factory.mktemp("production")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "false",
        "SECRET_KEY": "static-test-" + "r5Tq8Wn2Kp7Lm4Zx1Vc9Bd6Hf3Gj0Sa" * 2,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}",
        "STATIC_ROOT": str(folder / "static"),
    }
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=PROJECT_DIR,
        env=env,
        check=True,
    )
    port = free_port()
    server = start_gunicorn(env, port)
    yield f"http://127.0.0.1:{port}"
    stop(server)


def fetch(url: str, **headers):
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 - our own server
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        return response.status, dict(response.headers), response.read()


def test_pages_link_their_stylesheet_by_its_hashed_name_and_it_is_served(production):
    _status, _headers, page = fetch(f"{production}/accounts/login/")
    (stylesheet,) = re.findall(
        r'href="(/static/fairrecruit/site\.[0-9a-f]{12}\.css)"', page.decode()
    )

    status, headers, body = fetch(production + stylesheet, **{"Accept-Encoding": "gzip"})

    assert status == 200
    assert headers["Content-Type"].startswith("text/css")
    assert (
        "immutable" in headers["Cache-Control"] and "max-age=315360000" in headers["Cache-Control"]
    )
    assert headers["Content-Encoding"] == "gzip"
    assert b"body" in gzip.decompress(body)


def test_the_admin_and_the_api_documentation_are_styled(production):
    _status, _headers, admin = fetch(f"{production}/admin/login/")
    (admin_css,) = re.findall(r'href="(/static/admin/css/base\.[0-9a-f]{12}\.css)"', admin.decode())
    _status, _headers, docs = fetch(f"{production}/api/v1/docs/")
    (swagger,) = re.findall(
        r'src="(/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle\.[0-9a-f]{12}\.js)"',
        docs.decode(),
    )

    assert fetch(production + admin_css)[0] == 200
    assert fetch(production + swagger)[0] == 200
