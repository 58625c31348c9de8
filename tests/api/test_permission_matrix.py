"""Every route of /api/v1/ and every role has its expected outcome, and a route added without
a row here makes the test fail. Objects others may not know of answer 404, not 403."""

import pytest
from django.core.cache import cache
from django.db import transaction

from tests.api.matrix_world import ROLES, MatrixWorld
from tests.api.routes import api_routes

# anonymous, agency member, member of another agency, assigned auditor, other auditor,
# reviewer, employer key, revoked key, expired key
MATRIX: dict[str, tuple[int, ...]] = {
    "DELETE /api/v1/auth/tokens/{pk}/": (401, 204, 404, 404, 404, 404, 403, 401, 401),
    "DELETE /api/v1/employer-keys/{pk}/": (401, 404, 404, 404, 404, 404, 403, 401, 401),
    "DELETE /api/v1/watchlist/{agency}/": (401, 403, 403, 403, 403, 403, 204, 401, 401),
    "DELETE /api/v1/webhooks/{pk}/": (401, 403, 403, 403, 403, 403, 204, 401, 401),
    "GET /api/v1/agencies/{public_id}/": (401, 200, 404, 404, 404, 200, 403, 401, 401),
    "GET /api/v1/agencies/{public_id}/status/": (200, 200, 200, 200, 200, 200, 200, 401, 401),
    "GET /api/v1/agencies/{public_id}/watchers/": (401, 200, 404, 404, 404, 200, 403, 401, 401),
    "GET /api/v1/agencies/{public_id}/history/": (401, 200, 404, 404, 404, 200, 403, 401, 401),
    # Applying: anyone applies, and anyone with a link's key follows; reviewers decide.
    "GET /api/v1/applications/": (401, 404, 404, 404, 404, 200, 404, 401, 401),
    "POST /api/v1/applications/": (201, 201, 201, 201, 201, 201, 201, 401, 401),
    "POST /api/v1/applications/confirm/": (200, 200, 200, 200, 200, 200, 200, 401, 401),
    "POST /api/v1/applications/follow/": (200, 200, 200, 200, 200, 200, 200, 401, 401),
    "POST /api/v1/applications/follow/answer/": (200, 200, 200, 200, 200, 200, 200, 401, 401),
    "POST /api/v1/applications/link/": (202, 202, 202, 202, 202, 202, 202, 401, 401),
    "GET /api/v1/applications/{public_id}/": (401, 404, 404, 404, 404, 200, 404, 401, 401),
    "POST /api/v1/applications/{public_id}/accept/": (401, 404, 404, 404, 404, 200, 404, 401, 401),
    "POST /api/v1/applications/{public_id}/ask/": (401, 404, 404, 404, 404, 200, 404, 401, 401),
    "POST /api/v1/applications/{public_id}/reject/": (401, 404, 404, 404, 404, 200, 404, 401, 401),
    "POST /api/v1/applications/{public_id}/links/reviews/": (
        401,
        404,
        404,
        404,
        404,
        201,
        404,
        401,
        401,
    ),
    # The link check: the scheme's reviewers alone; everyone else is told nothing exists.
    "GET /api/v1/agencies/{public_id}/links/": (401, 404, 404, 404, 404, 200, 404, 401, 401),
    "POST /api/v1/agencies/{public_id}/links/reviews/": (
        401,
        404,
        404,
        404,
        404,
        201,
        404,
        401,
        401,
    ),
    "GET /api/v1/agencies/{public_id}/identity-changes/": (
        401,
        200,
        404,
        404,
        404,
        200,
        403,
        401,
        401,
    ),
    # The agency's own request while one is pending (the matrix world's): 409 naming it.
    "POST /api/v1/agencies/{public_id}/identity-changes/": (
        401,
        409,
        404,
        404,
        404,
        403,
        403,
        401,
        401,
    ),
    # The worker survey, the scheme's side: reviewers and the agency's auditor issue codes
    # and print the cards (the auditor's own batch here); the agency lists its batches as
    # counts and reads the summary (aggregate from k, no signals), never the cards (404).
    "GET /api/v1/agencies/{public_id}/survey-batches/": (
        401,
        200,
        404,
        200,
        404,
        200,
        403,
        401,
        401,
    ),
    "POST /api/v1/agencies/{public_id}/survey-batches/": (
        401,
        403,
        404,
        201,
        404,
        201,
        403,
        401,
        401,
    ),
    "GET /api/v1/agencies/{public_id}/survey-summary/": (
        401,
        200,
        404,
        200,
        404,
        200,
        403,
        401,
        401,
    ),
    "GET /api/v1/survey-batches/{public_id}/cards/": (401, 404, 404, 200, 404, 200, 403, 401, 401),
    # The worker survey with a card's code: anyone, signed in or not (a bad key is refused).
    "GET /api/v1/surveys/{code}/": (200, 200, 200, 200, 200, 200, 200, 401, 401),
    "POST /api/v1/surveys/{code}/": (201, 201, 201, 201, 201, 201, 201, 401, 401),
    "GET /api/v1/identity-changes/": (401, 403, 403, 403, 403, 200, 403, 401, 401),
    "GET /api/v1/identity-changes/{pk}/": (401, 200, 404, 404, 404, 200, 403, 401, 401),
    "POST /api/v1/identity-changes/{pk}/approve/": (401, 403, 404, 404, 404, 200, 403, 401, 401),
    "POST /api/v1/identity-changes/{pk}/reject/": (401, 403, 404, 404, 404, 200, 403, 401, 401),
    "GET /api/v1/auditors/": (401, 403, 403, 403, 403, 200, 403, 401, 401),
    "GET /api/v1/auth/tokens/": (401, 200, 200, 200, 200, 200, 403, 401, 401),
    "GET /api/v1/cases/": (401, 200, 200, 200, 200, 200, 403, 401, 401),
    "GET /api/v1/cases/{pk}/": (401, 200, 404, 200, 404, 200, 403, 401, 401),
    "GET /api/v1/cases/{pk}/answers/": (401, 200, 404, 200, 404, 200, 403, 401, 401),
    "GET /api/v1/cases/{pk}/certificate/": (401, 200, 404, 200, 404, 200, 403, 401, 401),
    "GET /api/v1/cases/{pk}/findings-export/": (401, 200, 404, 200, 404, 200, 403, 401, 401),
    "GET /api/v1/registry/export/": (200, 200, 200, 200, 200, 200, 200, 401, 401),
    "POST /api/v1/supplier-checks/export/": (401, 403, 403, 403, 403, 403, 200, 401, 401),
    "GET /api/v1/cases/{pk}/workbook/": (401, 200, 404, 200, 404, 200, 403, 401, 401),
    "POST /api/v1/cases/{pk}/workbook/": (401, 409, 404, 403, 404, 403, 403, 401, 401),
    "GET /api/v1/cases/{pk}/audit-report/": (401, 200, 404, 200, 404, 200, 403, 401, 401),
    "GET /api/v1/cases/{pk}/self-assessment-summary/": (
        401,
        200,
        404,
        200,
        404,
        200,
        403,
        401,
        401,
    ),
    "GET /api/v1/cases/{pk}/audits/": (401, 200, 404, 200, 404, 200, 403, 401, 401),
    "GET /api/v1/cases/{pk}/corrective-actions/": (401, 200, 404, 200, 404, 200, 403, 401, 401),
    "GET /api/v1/cases/{pk}/events/": (401, 200, 404, 200, 404, 200, 403, 401, 401),
    "GET /api/v1/cases/{pk}/record/": (401, 200, 404, 200, 404, 200, 403, 401, 401),
    "GET /api/v1/cases/{pk}/score/": (401, 200, 404, 200, 404, 200, 403, 401, 401),
    "GET /api/v1/certificates/{number}/credential/": (200, 200, 200, 200, 200, 200, 200, 401, 401),
    "GET /api/v1/certificates/{number}/verify/": (200, 200, 200, 200, 200, 200, 200, 401, 401),
    # Complaints: anyone files and follows one (a bad key is still refused); only reviewers
    # read them; without credentials 401, everyone else is told nothing exists (404).
    "GET /api/v1/credentials/{public_id}/pdf/": (200, 200, 200, 200, 200, 200, 200, 401, 401),
    "GET /api/v1/complaints/": (401, 404, 404, 404, 404, 200, 404, 401, 401),
    "GET /api/v1/complaints/{number}/": (401, 404, 404, 404, 404, 200, 404, 401, 401),
    "POST /api/v1/complaints/": (201, 201, 201, 201, 201, 201, 201, 401, 401),
    "POST /api/v1/complaints/follow/": (200, 200, 200, 200, 200, 200, 200, 401, 401),
    "POST /api/v1/complaints/follow/messages/": (201, 201, 201, 201, 201, 201, 201, 401, 401),
    # Handling one: reviewers only; consequences are refused for a complaint only received.
    "GET /api/v1/complaints/{number}/events/": (401, 404, 404, 404, 404, 200, 404, 401, 401),
    "GET /api/v1/complaints/{number}/files/{file_id}/": (
        401,
        404,
        404,
        404,
        404,
        200,
        404,
        401,
        401,
    ),
    "POST /api/v1/complaints/{number}/transitions/{name}/": (
        401,
        404,
        404,
        404,
        404,
        200,
        404,
        401,
        401,
    ),
    "POST /api/v1/complaints/{number}/messages/": (401, 404, 404, 404, 404, 201, 404, 401, 401),
    "POST /api/v1/complaints/{number}/link/": (401, 404, 404, 404, 404, 200, 404, 401, 401),
    "POST /api/v1/complaints/{number}/special-audit/": (
        401,
        404,
        404,
        404,
        404,
        409,
        404,
        401,
        401,
    ),
    "POST /api/v1/complaints/{number}/suspend/": (401, 404, 404, 404, 404, 409, 404, 401, 401),
    "POST /api/v1/complaints/{number}/withdraw-certificate/": (
        401,
        404,
        404,
        404,
        404,
        409,
        404,
        401,
        401,
    ),
    # Appeals: the agency's members (their own) and reviewers; auditors and others 404. The
    # matrix world's appeal is of an earlier case refused by another reviewer; its certified
    # case cannot be appealed (409).
    "GET /api/v1/appeals/": (401, 200, 200, 404, 404, 200, 403, 401, 401),
    "GET /api/v1/appeals/{pk}/": (401, 200, 404, 404, 404, 200, 403, 401, 401),
    "GET /api/v1/appeals/{pk}/files/{file_id}/": (401, 200, 404, 404, 404, 200, 403, 401, 401),
    "POST /api/v1/appeals/{pk}/decide/": (401, 403, 404, 404, 404, 200, 403, 401, 401),
    "GET /api/v1/cases/{pk}/appeals/": (401, 200, 404, 404, 404, 200, 403, 401, 401),
    "POST /api/v1/cases/{pk}/appeals/": (401, 409, 404, 404, 404, 403, 403, 401, 401),
    "GET /api/v1/corrective-actions/{pk}/": (401, 200, 404, 200, 404, 200, 403, 401, 401),
    "GET /api/v1/docs/": (200, 200, 200, 200, 200, 200, 200, 401, 401),
    "GET /api/v1/employer-keys/": (401, 200, 200, 200, 200, 200, 403, 401, 401),
    "GET /api/v1/me/": (401, 200, 200, 200, 200, 200, 403, 401, 401),
    "GET /api/v1/evidence/{pk}/": (401, 200, 404, 200, 404, 200, 403, 401, 401),
    "GET /api/v1/evidence/{pk}/file/": (401, 200, 404, 200, 404, 200, 403, 401, 401),
    "GET /api/v1/registry/": (200, 200, 200, 200, 200, 200, 200, 401, 401),
    "GET /api/v1/review-queue/": (401, 403, 403, 403, 403, 200, 403, 401, 401),
    "GET /api/v1/schema/": (200, 200, 200, 200, 200, 200, 200, 401, 401),
    "GET /api/v1/watchlist/": (401, 403, 403, 403, 403, 403, 200, 401, 401),
    "GET /api/v1/webhooks/": (401, 403, 403, 403, 403, 403, 200, 401, 401),
    "GET /api/v1/webhooks/{pk}/deliveries/": (401, 403, 403, 403, 403, 403, 200, 401, 401),
    "POST /api/v1/webhooks/{pk}/test/": (401, 403, 403, 403, 403, 403, 202, 401, 401),
    "PATCH /api/v1/agencies/{public_id}/": (401, 200, 404, 404, 404, 403, 403, 401, 401),
    "PATCH /api/v1/me/": (401, 200, 200, 200, 200, 200, 403, 401, 401),
    "PATCH /api/v1/cases/{pk}/answers/": (401, 409, 404, 403, 404, 403, 403, 401, 401),
    "POST /api/v1/auth/token/": (201, 201, 201, 201, 201, 201, 201, 201, 201),
    "POST /api/v1/cases/": (401, 409, 403, 403, 403, 403, 403, 401, 401),
    "POST /api/v1/cases/{pk}/evidence/": (401, 201, 404, 403, 404, 403, 403, 401, 401),
    "POST /api/v1/cases/{pk}/findings/": (401, 403, 404, 409, 404, 403, 403, 401, 401),
    "POST /api/v1/cases/{pk}/renewal/": (401, 409, 404, 403, 404, 403, 403, 401, 401),
    "POST /api/v1/cases/{pk}/surveillance-audits/": (401, 403, 404, 403, 404, 201, 403, 401, 401),
    "POST /api/v1/cases/{pk}/transitions/{name}/": (401, 403, 404, 403, 404, 200, 403, 401, 401),
    "POST /api/v1/corrective-actions/{pk}/accept/": (401, 403, 404, 409, 404, 403, 403, 401, 401),
    "POST /api/v1/corrective-actions/{pk}/reject/": (401, 403, 404, 409, 404, 403, 403, 401, 401),
    "POST /api/v1/corrective-actions/{pk}/submit/": (401, 409, 404, 403, 404, 403, 403, 401, 401),
    "POST /api/v1/corrective-actions/{pk}/verify/": (401, 403, 404, 200, 404, 403, 403, 401, 401),
    "POST /api/v1/employer-keys/": (401, 404, 404, 404, 404, 404, 403, 401, 401),
    "POST /api/v1/supplier-checks/": (401, 403, 403, 403, 403, 403, 200, 401, 401),
    "POST /api/v1/watchlist/": (401, 403, 403, 403, 403, 403, 201, 401, 401),
    "POST /api/v1/webhooks/": (401, 403, 403, 403, 403, 403, 201, 401, 401),
}


def test_every_route_has_a_row():
    assert sorted(MATRIX) == api_routes()


@pytest.mark.django_db
@pytest.mark.parametrize("entry", api_routes())
def test_route_permissions(entry):
    world = MatrixWorld()
    observed = []
    for role in ROLES:
        cache.clear()  # throttling is tested on its own
        with transaction.atomic():
            observed.append(world.call(role, entry).status_code)
            transaction.set_rollback(True)
    assert tuple(observed) == MATRIX.get(entry)
