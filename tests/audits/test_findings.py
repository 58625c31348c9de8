"""A finding is checked, when it is recorded, by the same rule the engine scores it with."""

import pytest
from django.core.exceptions import ValidationError

from audits import services as audit_records
from audits.models import AuditState, Finding
from tests.certification.world import World

pytestmark = pytest.mark.django_db


def refused(audit, actor, **finding) -> list[str]:
    with pytest.raises(ValidationError) as caught:
        audit_records.finding_upsert(audit=audit, actor=actor, criterion_code="A1", **finding)
    return caught.value.messages


def test_a_finding_the_engine_could_not_score_is_not_kept():
    world = World()
    case = world.case_in("auditing")
    audit = case.audits.get(state=AuditState.IN_PROGRESS)

    assert refused(
        audit, world.auditor, grade="not_applicable", text=" ", indicators=["deception"]
    ) == [
        "text: a not_applicable finding needs the reason",
        "indicators: a not_applicable finding cannot show forced-labour indicators",
    ]
    # Kept until now, it made the audit impossible to complete: the engine refuses it.
    assert refused(
        audit, world.auditor, grade="major", text="", indicators=["deception", "deception"]
    ) == ["indicators: an indicator is listed twice"]
    assert not Finding.objects.filter(audit=audit).exists()

    audit_records.finding_upsert(
        audit=audit,
        actor=world.auditor,
        criterion_code="A1",
        grade="major",
        text="",
        indicators=["deception"],
    )
    assert Finding.objects.get(audit=audit).indicators == ["deception"]
