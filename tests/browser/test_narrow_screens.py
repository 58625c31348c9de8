"""Every page of docs/web.md on a 360-pixel phone (issue 19): nothing scrolls sideways
(`document.documentElement.scrollWidth <= 360`); a table may scroll inside its own box.
Each page is opened as the first role the page-access matrix lets in (tests/web/
test_page_access.py, which fails when a page has no row)."""

import pytest
from django.conf import settings as django_settings
from django.test import Client

from tests.web.pages import ROLES, PageWorld
from tests.web.test_page_access import MATRIX

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTH = 360
# The outermost elements that reach past the screen's edge, to say what to fix.
CULPRITS = """
const out = [];
for (const e of document.querySelectorAll('body *')) {
  if (e.getBoundingClientRect().right > arguments[0] + 1 &&
      !(e.parentElement && e.parentElement.getBoundingClientRect().right > arguments[0] + 1))
    out.push(e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') +
             (e.className && typeof e.className === 'string' ? '.' + e.className.trim().split(/\\s+/).join('.') : ''));
}
return out.slice(0, 4);
"""


def _narrow(driver):
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": WIDTH, "height": 780, "deviceScaleFactor": 2, "mobile": True},
    )


def _sign_in(browser, client: Client | None):
    browser.driver.delete_all_cookies()
    if client is None:
        return
    browser.driver.add_cookie(
        {
            "name": django_settings.SESSION_COOKIE_NAME,
            "value": client.cookies[django_settings.SESSION_COOKIE_NAME].value,
            "path": "/",
        }
    )


def test_no_page_scrolls_sideways_at_360_pixels(browser):
    pages = PageWorld()
    # Rows in the lists that were seen too wide on phones (issue 19): a watched agency, a key.
    from certification.models import WatchedAgency
    from recruiters import services as credentials

    WatchedAgency.objects.create(employer=pages.employer, agency=pages.cases["certified"].agency)
    credentials.employer_key_create(
        actor=pages.employer_member, employer=pages.employer, name="ERP supplier sync"
    )
    clients = {role: pages.client_for(role) for role in ROLES}
    browser.go("/")  # a page of the site, so that its cookies can be set
    _narrow(browser.driver)
    too_wide, opened = [], 0
    for name, (builder, statuses) in sorted(MATRIX.items()):
        role = next((r for r, s in zip(ROLES, statuses, strict=True) if s == 200), None)
        if role is None:
            continue
        url = builder(pages, name)
        _sign_in(browser, clients[role] if role != "anonymous" else None)
        browser.go(url)
        if browser.driver.execute_script("return document.contentType") != "text/html":
            continue  # a JSON document (DID, status list): no page to lay out
        opened += 1
        width = browser.driver.execute_script("return document.documentElement.scrollWidth")
        if width > WIDTH:
            culprits = browser.driver.execute_script(CULPRITS, WIDTH)
            too_wide.append((name, role, url, width, culprits))
    assert opened >= 40  # every page some role opens (45 when written)
    assert too_wide == [], "\n".join(map(str, too_wide))
