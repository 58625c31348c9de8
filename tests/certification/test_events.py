"""The transition log is append-only, in the model and, on PostgreSQL, in the database."""

import pytest
from django.db import DatabaseError, connection, transaction

from certification.models import TransitionEvent
from tests.certification.world import World

pytestmark = pytest.mark.django_db


@pytest.fixture
def event():
    return World().case_in("submitted").events.order_by("id").last()


def test_every_transition_leaves_one_event_with_actor_reason_and_figures():
    world = World()
    case = world.case_in("submitted")

    events = list(case.events.values_list("transition", "source", "target", "actor__username"))

    assert events == [("open", "", "draft", "agency"), ("submit", "draft", "submitted", "agency")]
    submit = case.events.get(transition="submit")
    assert submit.snapshot == {
        "overall_score": 100.0,
        "readiness": "ready",
        "zero_tolerance_breaches": [],
    }


def test_an_event_cannot_be_changed_or_deleted_through_the_model(event):
    event.reason = "rewritten"

    with pytest.raises(TypeError, match="append-only"):
        event.save()
    with pytest.raises(TypeError, match="append-only"):
        event.delete()
    with pytest.raises(TypeError, match="append-only"):
        TransitionEvent.objects.filter(pk=event.pk).update(reason="rewritten")
    with pytest.raises(TypeError, match="append-only"):
        TransitionEvent.objects.filter(pk=event.pk).delete()


@pytest.mark.postgres_only
@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE certification_transitionevent SET reason = 'rewritten' WHERE id = %s",
        "DELETE FROM certification_transitionevent WHERE id = %s",
    ],
    ids=["update", "delete"],
)
def test_the_database_refuses_to_change_or_delete_an_event(event, statement):
    with (
        pytest.raises(DatabaseError, match="transition events are append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement, [event.pk])

    assert TransitionEvent.objects.get(pk=event.pk).reason == event.reason


@pytest.mark.postgres_only
@pytest.mark.parametrize(
    "statement",
    [
        "TRUNCATE certification_transitionevent",
        "TRUNCATE certification_transitionevent CASCADE",
        "TRUNCATE certification_certificationcase CASCADE",
    ],
    ids=["named", "named-cascade", "through-the-cases"],
)
def test_the_database_refuses_to_truncate_the_event_log(event, statement):
    with transaction.atomic(), connection.cursor() as cursor:
        # What only the test runner's own connections say, so that it may empty its database.
        cursor.execute("SET LOCAL fairrecruit.allow_event_log_truncate = 'off'")
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the test's own rows, checked now
        with (
            pytest.raises(DatabaseError, match="transition events are append-only"),
            transaction.atomic(),
        ):
            cursor.execute(statement)

    assert TransitionEvent.objects.filter(pk=event.pk).exists()


@pytest.mark.postgres_only
def test_the_switch_opens_nothing_outside_a_test_database(event):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT prosrc FROM pg_proc WHERE proname = %s",
            ["certification_transitionevent_no_truncate"],
        )
        (source,) = cursor.fetchone()

    assert "current_database() LIKE 'test\\_%'" in source
