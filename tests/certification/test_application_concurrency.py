"""Two applications with the same registration number, confirmed at the same moment: one
goes to the reviewers, the other is refused with its reason (issue 18: nothing
half-created, no duplicate under way)."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.urls import reverse

from recruiters.applying import services
from recruiters.models import Application
from tests.certification.test_applications import agency_application

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


def test_two_confirmations_of_one_number_at_once_let_one_through():
    client = Client()
    for email in ("one@agency.example", "two@agency.example"):
        answer = client.post(
            reverse("api:applications"),
            agency_application(contact_email=email),
            content_type="application/json",
        )
        assert answer.status_code == 201
    keys = [services.link_key(application) for application in Application.objects.all()]
    barrier = threading.Barrier(len(keys))
    results, failures = [], []

    def confirm(key):
        try:
            barrier.wait(timeout=20)
            results.append(services.application_confirm(key))
        except Exception as error:
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=confirm, args=(key,)) for key in keys]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert len(results) == 1 and len(failures) == 1, failures
    (failure,) = failures
    assert isinstance(failure, ValidationError)
    assert list(failure.message_dict) == ["registration_number"]
    assert sorted(Application.objects.values_list("state", flat=True)) == [
        "awaiting_confirmation",
        "submitted",
    ]
