"""An employer's pages: watchlist, bulk check (pasted, CSV, xlsx; on screen and as xlsx),
API keys shown once, webhooks and their deliveries."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from certification.models import WatchedAgency, Webhook
from recruiters.keys import key_hash
from recruiters.models import EmployerAPIKey
from tests.web.conftest import field_errors, messages_of, signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def employer(world):
    return world.employer_member.memberships.get(role="employer_member").employer


def test_an_employer_watches_an_agency_by_country_and_number_then_stops(world, employer):
    client = signed_in(world.employer_member)
    added = client.post(
        "/employer/watchlist/",
        {"supplier": f"{world.agency.country.code} {world.agency.registration_number.lower()}"},
    )
    assert added.status_code == 302
    assert list(WatchedAgency.objects.values_list("employer", "agency")) == [
        (employer.pk, world.agency.pk)
    ]
    page = client.get("/employer/watchlist/")
    assert [(w.agency, status) for w, status, _c in page.context["rows"]] == [
        (world.agency, "not_certified")
    ]
    client.post("/employer/watchlist/", {"remove": str(world.agency.public_id)})
    assert not WatchedAgency.objects.exists()


@pytest.mark.parametrize(
    ("given", "error"),
    [
        ("", "This field is required."),
        ("not an id", "No agency is registered with this name or identifier."),
        ("NP NO-SUCH-NUMBER", "No agency is registered with this name or identifier."),
    ],
)
def test_a_watch_that_names_no_agency_is_refused_beside_the_field(world, given, error):
    response = signed_in(world.employer_member).post("/employer/watchlist/", {"supplier": given})
    assert response.status_code == 400
    assert field_errors(response) == {"supplier": [error]}


def test_a_pasted_supplier_list_is_checked_in_order(world):
    certified = world.case_in("certified")
    lines = "\n".join(
        [
            str(certified.agency.public_id),
            f"{world.agency.country.code},{world.agency.registration_number}",
            "BD;NOT-REGISTERED",
        ]
    )
    response = signed_in(world.employer_member).post(
        "/employer/supplier-check/", {"suppliers": lines}
    )
    assert response.status_code == 200
    assert [r["status"] for r in response.context["results"]] == [
        "certified",
        "certified",
        "not_found",
    ]


def test_a_csv_with_a_header_is_checked(world):
    csv_file = SimpleUploadedFile(
        "suppliers.csv",
        f"country,registration_number\n{world.agency.country.code},{world.agency.registration_number}\n".encode(),
    )
    response = signed_in(world.employer_member).post(
        "/employer/supplier-check/", {"file": csv_file}
    )
    assert [(r["input"], r["status"]) for r in response.context["results"]] == [
        (
            {
                "country": world.agency.country.code,
                "registration_number": world.agency.registration_number,
            },
            "not_certified",
        )
    ]


def xlsx(rows) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_an_xlsx_list_is_checked_and_the_results_downloaded(world):
    client = signed_in(world.employer_member)
    upload = SimpleUploadedFile("suppliers.xlsx", xlsx([["id"], [str(world.agency.public_id)]]))
    response = client.post("/employer/supplier-check/", {"file": upload})
    assert [r["agency"]["name"] for r in response.context["results"]] == [world.agency.name]
    download = client.post(
        "/employer/supplier-check/",
        {"suppliers": response.context["as_text"], "download": "xlsx"},
    )
    assert download["Content-Disposition"] == 'attachment; filename="supplier-check.xlsx"'
    sheet = load_workbook(io.BytesIO(b"".join(download.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 2 and world.agency.name in rows[1]


def test_an_empty_check_is_refused_beside_the_field(world):
    response = signed_in(world.employer_member).post("/employer/supplier-check/", {})
    assert response.status_code == 400
    assert field_errors(response) == {"suppliers": ["Paste a list or choose a file."]}


def test_a_list_with_bad_lines_is_checked_line_by_line_and_keeps_the_good_ones(world):
    certified = world.case_in("certified")
    lines = "\n".join(
        [
            f"{world.agency.country.code},{world.agency.registration_number}",
            "Nepal,2",
            "BD;NOT-REGISTERED",
            "nonsense",
            str(certified.agency.public_id),
        ]
    )
    response = signed_in(world.employer_member).post(
        "/employer/supplier-check/", {"suppliers": lines}
    )
    assert response.status_code == 200
    results = response.context["results"]
    assert [(r["status"], [e["detail"] for e in r.get("errors", [])]) for r in results] == [
        ("certified", []),
        ("invalid", ["line 2: 'Nepal' is not a two-letter country code"]),
        ("not_found", []),
        ("invalid", ["line 4: 'nonsense' is neither an agency id nor a country and number"]),
        ("certified", []),
    ]
    html = response.content.decode()
    assert "Found: 2. Not found: 1. Not understood: 2." in html
    assert "Not understood" in html and "line 2: &#x27;Nepal&#x27; is not" in html
    # the box keeps the lines that can be checked again
    assert response.context["form"].initial["suppliers"].splitlines() == [
        f"{world.agency.country.code},{world.agency.registration_number}",
        "BD,NOT-REGISTERED",
        str(certified.agency.public_id),
    ]


def test_a_file_with_a_bad_row_gets_a_result_per_row_in_the_download(world):
    client = signed_in(world.employer_member)
    upload = SimpleUploadedFile(
        "suppliers.xlsx", xlsx([["id"], [str(world.agency.public_id)], ["not an id"]])
    )
    response = client.post("/employer/supplier-check/", {"file": upload})
    assert [r["status"] for r in response.context["results"]] == ["not_certified", "invalid"]
    download = client.post(
        "/employer/supplier-check/",
        {"suppliers": response.context["as_text"], "download": "xlsx"},
    )
    sheet = load_workbook(io.BytesIO(b"".join(download.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert [row[1] for row in rows[1:]] == ["Not certified", "Not understood"]
    assert rows[2][0] == "not an id"
    # the download checks the lines again as typed text: the bad row is its second line
    assert rows[2][-1] == "line 2: 'not' is not a two-letter country code"


@pytest.mark.parametrize(
    ("name", "content", "error"),
    [
        ("list.pdf", b"%PDF", "file: give a .csv or an .xlsx file"),
        ("list.xlsx", b"not a zip", "file: not an Excel workbook (.xlsx)"),
        ("list.csv", b"\xff\xfe\x00bad", "file: not UTF-8 text"),
    ],
)
def test_a_bad_file_is_refused_beside_the_file_field(world, name, content, error):
    response = signed_in(world.employer_member).post(
        "/employer/supplier-check/", {"file": SimpleUploadedFile(name, content)}
    )
    assert response.status_code == 400
    assert field_errors(response) == {"file": [error]}


def test_an_xlsx_list_declaring_xml_entities_is_refused_by_name(world):
    source = zipfile.ZipFile(io.BytesIO(xlsx([["id"], [7]])))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                content = b'<!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>' + (
                    content.replace(b"<v>", b"<v>&xxe;", 1)
                )
            archive.writestr(item, content)

    response = signed_in(world.employer_member).post(
        "/employer/supplier-check/", {"file": SimpleUploadedFile("list.xlsx", buffer.getvalue())}
    )

    assert response.status_code == 400
    assert field_errors(response) == {
        "file": [
            "file: the workbook declares XML entities or refers to outside documents; "
            "such files are refused (save it again from a spreadsheet program)"
        ]
    }


def test_an_api_key_is_shown_once_and_stored_hashed_then_revoked(world, employer):
    client = signed_in(world.employer_member)
    created = client.post("/employer/api-keys/", {"name": "ERP sync"})
    secret = created.context["secret"]
    assert secret in created.content.decode()
    assert created["Cache-Control"] == "no-store"
    key = EmployerAPIKey.objects.get()
    assert (key.name, key.key_hash) == ("ERP sync", key_hash(secret))
    assert secret not in client.get("/employer/api-keys/").content.decode()
    client.post("/employer/api-keys/", {"revoke": str(key.pk)})
    key.refresh_from_db()
    assert key.revoked_at is not None


def test_an_api_key_needs_a_name(world):
    response = signed_in(world.employer_member).post("/employer/api-keys/", {"name": ""})
    assert response.status_code == 400
    assert field_errors(response) == {"name": ["This field is required."]}


def test_a_webhook_is_created_with_its_secret_shown_once(world, employer):
    client = signed_in(world.employer_member)
    response = client.post("/employer/webhooks/", {"url": "https://93.184.216.34/hook"})
    webhook = Webhook.objects.get()
    assert response.context["created"] == webhook
    assert webhook.secret in response.content.decode()
    assert webhook.secret not in client.get("/employer/webhooks/").content.decode()
    deleted = client.post("/employer/webhooks/", {"delete": str(webhook.pk)}, follow=True)
    assert messages_of(deleted) == ["The webhook is deleted."]
    assert not Webhook.objects.exists()


@pytest.mark.parametrize(
    ("url", "error"),
    [
        ("http://93.184.216.34/hook", "the URL must be https://"),
        (
            "https://127.0.0.1/hook",
            "127.0.0.1 resolves to a private, loopback or link-local address",
        ),
        ("https://10.1.2.3/hook", "10.1.2.3 resolves to a private, loopback or link-local address"),
        ("not a url", "Enter a valid URL."),
    ],
)
def test_an_unsafe_webhook_address_is_refused_beside_the_field(world, url, error):
    response = signed_in(world.employer_member).post("/employer/webhooks/", {"url": url})
    assert response.status_code == 400
    assert field_errors(response) == {"url": [error]}
    assert not Webhook.objects.exists()


def test_the_delivery_log_of_a_webhook(db):
    from tests.web.pages import PageWorld

    pages = PageWorld()
    response = signed_in(pages.employer_member).get(f"/employer/webhooks/{pages.webhook.pk}/")
    assert [(d.event.new_status, d.state) for d in response.context["deliveries"]] == [
        ("certified", "pending")
    ]


def test_a_webhook_secret_too_short_is_refused_beside_its_field(world):
    response = signed_in(world.employer_member).post(
        "/employer/webhooks/", {"url": "https://93.184.216.34/hook", "secret": "short"}
    )
    assert response.status_code == 400
    assert field_errors(response) == {
        "secret": ["Ensure this value has at least 32 characters (it has 5)."]
    }
