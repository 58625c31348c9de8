"""Headless Chromium driven through chromedriver (Selenium) against the live test server.

Debian's `chromium` and `chromium-driver` packages provide both (`.ci/run` installs them).
Without them the browser tests are skipped with a plain reason, except under CI=true,
where a missing browser fails the run: CI never skips them."""

import os
import shutil
import tempfile
import time
from pathlib import Path

import pytest
from django.conf import settings

ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts" / "browser"


def _find(*names):
    for name in names:
        path = shutil.which(name) or (
            f"/usr/bin/{name}" if Path(f"/usr/bin/{name}").exists() else None
        )
        if path:
            return path
    return None


CHROMIUM = _find("chromium", "chromium-browser", "google-chrome")
CHROMEDRIVER = _find("chromedriver")
MISSING = (
    "no browser for the browser tests: install Debian's chromium and chromium-driver "
    f"(found chromium={CHROMIUM}, chromedriver={CHROMEDRIVER})"
)


def pytest_collection_modifyitems(config, items):
    if CHROMIUM and CHROMEDRIVER:
        return
    browser_items = [item for item in items if "browser" in item.keywords]
    if not browser_items:
        return
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        raise pytest.UsageError(f"CI=true and {MISSING}")
    for item in browser_items:
        item.add_marker(pytest.mark.skip(reason=MISSING))


@pytest.fixture
def live_site(live_server, settings):
    """The live server, with cookies a browser sends over plain HTTP on 127.0.0.1."""
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    return live_server


class Browser:
    def __init__(self, driver, base_url: str, downloads: Path):
        self.driver = driver
        self.base_url = base_url
        self.downloads = downloads

    def go(self, path: str):
        self.driver.get(self.base_url + path)

    def find(self, css: str):
        from selenium.webdriver.common.by import By

        return self.driver.find_element(By.CSS_SELECTOR, css)

    def find_all(self, css: str):
        from selenium.webdriver.common.by import By

        return self.driver.find_elements(By.CSS_SELECTOR, css)

    def click(self, css: str):
        """Click and wait for the page that follows to load."""
        self.submit(self.find(css))

    def submit(self, element):
        old = self.driver.find_element("tag name", "html")
        element.click()
        self.wait_until(lambda: _stale(old))
        self.wait_until(
            lambda: self.driver.execute_script("return document.readyState") == "complete"
        )

    def text(self, css: str = "main") -> str:
        return self.find(css).text

    def wait_until(self, condition, timeout: float = 10):
        from selenium.common.exceptions import WebDriverException

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                if condition():
                    return
            except WebDriverException:  # the page is being replaced
                pass
            time.sleep(0.05)
        raise AssertionError("the page did not get there in time")

    def sign_in(self, username: str, password: str):
        self.go("/accounts/login/")
        self.find("#id_username").send_keys(username)
        self.find("#id_password").send_keys(password)
        self.submit(self.find("#login-form button[type=submit]"))

    def screenshot(self, name: str, width: int = 1280):
        """The whole page, saved under test-artifacts/browser/."""
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        height = self.driver.execute_script("return document.documentElement.scrollHeight")
        self.driver.set_window_size(width, min(max(height, 600), 6000))
        path = ARTIFACTS / f"{name}.png"
        self.driver.save_screenshot(str(path))
        self.driver.set_window_size(1280, 900)
        return path


def _stale(element) -> bool:
    from selenium.common.exceptions import StaleElementReferenceException

    try:
        element.is_enabled()
        return False
    except StaleElementReferenceException:
        return True


@pytest.fixture
def browser(live_site):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="fairrecruit-chromium-")
    downloads = Path(tempfile.mkdtemp(prefix="fairrecruit-downloads-"))
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in (
        "--headless=new",
        "--no-sandbox",  # CI runs as root
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",  # the machine's network is closed
        "--disable-component-update",
        "--disable-sync",
        "--lang=en-GB",
        "--window-size=1280,900",
        f"--user-data-dir={profile}",
    ):
        options.add_argument(argument)
    options.add_experimental_option(
        "prefs",
        {
            "download.default_directory": str(downloads),
            "download.prompt_for_download": False,
            "intl.accept_languages": "en-GB,en",
        },
    )
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.implicitly_wait(0)  # pages are loaded when submit() returns; no hidden waits
    try:
        yield Browser(driver, live_site.url, downloads)
        # Whatever the journey, no page may break the Content-Security-Policy.
        blocked = [
            entry["message"]
            for entry in driver.get_log("browser")
            if "Content Security Policy" in entry["message"]
        ]
        assert blocked == [], blocked
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)
        shutil.rmtree(downloads, ignore_errors=True)
