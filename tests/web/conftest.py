import pytest
from django.test import Client

from tests.certification.world import World


@pytest.fixture
def world(db):
    return World()


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def field_errors(response, form_key: str = "form") -> dict:
    return {name: list(errors) for name, errors in response.context[form_key].errors.items()}
