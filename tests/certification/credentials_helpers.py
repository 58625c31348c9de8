"""What the credentials' tests share: a credential's payload, and what a verifier
downloads (the credential, the issuer's DID document, both status lists) and its verdict."""

import base64
import json

from django.urls import reverse

from certification.vc import core


def payload(token: str) -> dict:
    part = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))


def download(client, certificate):
    """What a verifier keeps: the credential, the issuer's DID document and both lists,
    each fetched once over HTTP, as files."""
    answer = client.get(
        reverse("api:certificate-credential", args=[certificate.number]),
        {"code": certificate.verification_code},
    )
    assert answer.status_code == 200, answer.content
    assert answer["Content-Type"] == "application/vc+jwt"
    token = answer.content.decode()
    credential = payload(token)
    did = credential["issuer"]["id"]
    slug = did.rsplit(":", 1)[1]
    did_answer = client.get(f"/bodies/{slug}/did.json")
    assert did_answer.status_code == 200
    lists = {}
    for entry in credential["credentialStatus"]:
        url = entry["statusListCredential"]
        listed = client.get(url.removeprefix("http://127.0.0.1:8000"))
        assert listed.status_code == 200, url
        assert listed["Content-Type"] == "application/vc+jwt"
        assert "max-age=300" in listed["Cache-Control"] and "public" in listed["Cache-Control"]
        lists[url] = listed.content.decode()
    return token, did_answer.json(), lists


def verdict(client, certificate, now=None):
    token, did_doc, lists = download(client, certificate)
    return core.verify(token, did_doc, lists, now=now)
