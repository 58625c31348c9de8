"""A local S3-compatible object store for the tests (moto in server mode, issue 16): started
once per run on a free port, each test using a bucket of its own."""

import contextlib
import uuid

import boto3
import pytest
from django.apps import apps
from django.core.files.storage import storages
from django.db import models

from config.object_store import private_storage
from tests.servers import free_port

CREDENTIALS = {"OBJECT_STORE_ACCESS_KEY_ID": "testing", "OBJECT_STORE_SECRET_ACCESS_KEY": "x"}


@pytest.fixture(scope="session")
def object_store_url():
    from moto.server import ThreadedMotoServer

    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


def s3_client(url: str):
    return boto3.client(
        "s3",
        endpoint_url=url,
        aws_access_key_id=CREDENTIALS["OBJECT_STORE_ACCESS_KEY_ID"],
        aws_secret_access_key=CREDENTIALS["OBJECT_STORE_SECRET_ACCESS_KEY"],
        region_name="us-east-1",
    )


def new_bucket(url: str) -> dict:
    """A bucket of its own, and the environment that names it (as a deployment sets it)."""
    bucket = f"fairrecruit-{uuid.uuid4().hex[:12]}"
    s3_client(url).create_bucket(Bucket=bucket)
    return {
        "OBJECT_STORE_BUCKET": bucket,
        "OBJECT_STORE_ENDPOINT_URL": url,
        "OBJECT_STORE_REGION": "us-east-1",
        **CREDENTIALS,
    }


def file_fields():
    return [
        field
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if isinstance(field, models.FileField)
    ]


@pytest.fixture
def s3_private(object_store_url, settings, monkeypatch):
    """Private files in a fresh bucket for this test: the settings as a deployment's, and
    the models' file fields (whose storage Django fixes when they are defined) on it."""
    environment = new_bucket(object_store_url)
    settings.STORAGES = {**settings.STORAGES, "private": private_storage(environment, None)}
    storage = storages["private"]
    for field in file_fields():
        monkeypatch.setattr(field, "storage", storage)
    yield environment
    with contextlib.suppress(Exception):
        bucket = boto3.resource(
            "s3",
            endpoint_url=object_store_url,
            aws_access_key_id="testing",
            aws_secret_access_key="x",
            region_name="us-east-1",
        ).Bucket(environment["OBJECT_STORE_BUCKET"])
        bucket.objects.all().delete()
