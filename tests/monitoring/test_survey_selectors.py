"""What is read of the answers: counts for the agency, aggregates only from k workers (and a
corridor's only when no smaller group can be told by difference), exact medians and totals
per currency, and signals for the auditor from the threshold, in a constant number of
queries."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from monitoring import survey_selectors, surveys
from monitoring.survey_selectors import AmountSummary, AnswerCount, IssueShare, SurveySignal
from tests.factories import CorridorFactory
from tests.monitoring.survey_helpers import EVERYTHING, NOW, survey_world

pytestmark = pytest.mark.django_db

FINE = {
    "WS-PAID": "no",
    "WS-DEDUCTED": "no",
    "WS-PASSPORT": "me",
    "WS-CONTRACT": "yes",
    "WS-TRUTH": "yes",
    "WS-FREE-TO-LEAVE": "yes",
    "WS-COMPLAIN": "yes",
}


@pytest.fixture
def world():
    return survey_world()


def paid(amount: str, currency: str, **more) -> dict:
    return {"WS-PAID": "yes", "WS-AMOUNT": {"amount": amount, "currency": currency}, **more}


def question(aggregate, code):
    return next(q for q in aggregate.questions if q.question.code == code)


def test_the_agency_sees_codes_issued_and_answers_received(world):
    world.issue(count=7)
    world.answered([FINE, FINE, {}])

    assert survey_selectors.survey_counts(world.agency) == survey_selectors.SurveyCounts(
        issued=10, answered=3
    )


@pytest.mark.parametrize("k", [5, 3])
def test_an_aggregate_is_hidden_below_k_workers_and_shown_from_k(world, k):
    with override_settings(SURVEY_MIN_ANSWERS=k):
        world.answered([EVERYTHING] * (k - 1))
        hidden = survey_selectors.survey_aggregate(world.agency)
        world.answered([FINE])
        shown = survey_selectors.survey_aggregate(world.agency)

    assert hidden == survey_selectors.SurveyAggregate(answers=k - 1, minimum=k, shown=False)
    assert shown.shown is True and shown.answers == k and shown.minimum == k
    assert [q.question.code for q in shown.questions] == list(EVERYTHING)
    assert question(shown, "WS-PAID").counts == (AnswerCount("yes", k - 1), AnswerCount("no", 1))


def test_skipping_everything_still_counts_as_a_worker_who_answered(world):
    world.answered([{}] * 5)

    aggregate = survey_selectors.survey_aggregate(world.agency)

    assert aggregate.shown and aggregate.answers == 5
    assert all(q.answered == 0 for q in aggregate.questions)
    assert len(aggregate.questions) == 12


@override_settings(SURVEY_MIN_ANSWERS=3)
def test_medians_and_totals_are_exact_per_currency_never_mixed(world):
    world.answered(
        [
            paid("100", "USD"),
            paid("250.50", "USD"),
            paid("300", "USD"),
            paid("50000", "NPR"),
            paid("70000.25", "NPR"),
            paid("20000", "NPR"),
            paid("0.001", "KWD"),
            FINE,
        ]
    )

    amounts = question(survey_selectors.survey_aggregate(world.agency), "WS-AMOUNT")

    assert amounts.answered == 7
    assert amounts.amounts == (
        AmountSummary("KWD", 1, None, None),  # one worker's amount: the count only
        AmountSummary("NPR", 3, Decimal("50000"), Decimal("140000.25")),
        AmountSummary("USD", 3, Decimal("250.5"), Decimal("650.5")),
    )


def test_no_median_or_total_of_fewer_than_k_workers_in_a_currency(world):
    world.answered([paid("1000", "NPR")] * 4 + [FINE, paid("900", "USD")])

    amounts = question(survey_selectors.survey_aggregate(world.agency), "WS-AMOUNT")
    stepped = question(survey_selectors.survey_aggregate(world.agency, stepped=True), "WS-AMOUNT")

    # the aggregate is shown (6 workers), but neither currency has k (5) workers reporting
    assert amounts.amounts == (
        AmountSummary("NPR", 4, None, None),
        AmountSummary("USD", 1, None, None),
    )
    assert stepped.amounts == (AmountSummary("NPR", 4, None, None),)  # the first 5 only


def test_the_agencys_reading_changes_only_in_steps_of_k(world):
    world.answered([FINE] * 5)
    five = survey_selectors.survey_aggregate(world.agency, stepped=True)
    world.answered([EVERYTHING])  # the 6th worker: passport held, contract changed...
    six = survey_selectors.survey_aggregate(world.agency, stepped=True)
    live = survey_selectors.survey_aggregate(world.agency)
    world.answered([FINE] * 4)
    ten = survey_selectors.survey_aggregate(world.agency, stepped=True)

    # comparing the agency's readings at 5 and 6 answers tells nothing of the 6th worker
    assert six == five and six.answers == 5 and six.stepped is True
    assert live.answers == 6 and live.stepped is False  # the scheme's readers: live
    assert question(live, "WS-PASSPORT") != question(six, "WS-PASSPORT")
    assert ten.answers == 10 and question(ten, "WS-PAID").counts == (
        AnswerCount("yes", 1),
        AnswerCount("no", 9),
    )


def test_the_agencys_reading_is_hidden_below_k_with_the_live_count(world):
    world.answered([EVERYTHING] * 4)

    assert survey_selectors.survey_aggregate(
        world.agency, stepped=True
    ) == survey_selectors.SurveyAggregate(answers=4, minimum=5, shown=False, stepped=True)


def test_the_agencys_corridor_reading_counts_only_groups_in_steps_of_k(world):
    CorridorFactory(agency=world.agency, origin="NP", destination="AE")
    world.answered([FINE] * 5, corridor="NP-QA")
    world.answered([EVERYTHING] * 2, corridor="NP-AE")
    world.answered([FINE] * 3)  # without a corridor

    qatar = survey_selectors.survey_aggregate(world.agency, "NP-QA", stepped=True)
    whole = survey_selectors.survey_aggregate(world.agency, stepped=True)
    emirates = survey_selectors.survey_aggregate(world.agency, "NP-AE", stepped=True)

    # the groups below k count for nothing in the agency's reading: the whole is Qatar's
    # five, so the two never differ by fewer than k workers
    assert (qatar.answers, qatar.shown) == (5, True)
    assert (whole.answers, whole.shown) == (5, True)
    assert question(whole, "WS-PASSPORT") == question(qatar, "WS-PASSPORT")
    assert (emirates.answers, emirates.shown) == (2, False)


def test_k_below_two_is_refused_by_a_system_check():
    from monitoring.checks import survey_min_answers_check

    with override_settings(SURVEY_MIN_ANSWERS=1):
        (error,) = survey_min_answers_check(None)
        assert error.id == "monitoring.E004"
        assert survey_selectors.survey_min_answers() == 2  # and never used below 2
    with override_settings(SURVEY_MIN_ANSWERS=2):
        assert survey_min_answers_check(None) == []


def test_fee_categories_and_the_share_of_workers_reporting_each_issue(world):
    world.answered(
        [
            {"WS-PAID": "yes", "WS-PAID-FOR": ["recruitment_fee", "medical", "other"]},
            {"WS-PAID": "yes", "WS-PAID-FOR": ["medical"], "WS-PASSPORT": "agency"},
            {"WS-PAID": "yes", "WS-PASSPORT": "employer"},
            FINE,
            {},
            {"WS-PAID": "no", "WS-PAID-FOR": ["training"]},  # not asked: dropped
        ]
    )
    aggregate = survey_selectors.survey_aggregate(world.agency)

    paid_for = question(aggregate, "WS-PAID-FOR")
    assert paid_for.answered == 2
    assert dict((c.answer, c.count) for c in paid_for.counts if c.count) == {
        "recruitment_fee": 1,
        "medical": 2,
        "other": 1,
    }
    assert [(c.answer, c.count) for c in paid_for.fee_categories][:3] == [
        ("recruitment_fee", 1),
        ("medical", 2),
        ("insurance", 0),
    ]
    assert "other" not in [c.answer for c in paid_for.fee_categories]
    assert question(aggregate, "WS-PAID").issues == (IssueShare("yes", 3, Decimal("0.5000")),)
    assert question(aggregate, "WS-PASSPORT").issues == (
        IssueShare("agency", 1, Decimal("0.1667")),
        IssueShare("employer", 1, Decimal("0.1667")),
    )


def test_a_corridor_is_shown_only_when_no_smaller_group_can_be_told_by_difference(world):
    CorridorFactory(agency=world.agency, origin="NP", destination="AE")
    world.answered([FINE] * 5, corridor="NP-QA")
    world.answered([EVERYTHING], corridor="NP-AE")

    qatar = survey_selectors.survey_aggregate(world.agency, corridor="NP-QA")
    whole = survey_selectors.survey_aggregate(world.agency)
    world.answered([EVERYTHING] * 4, corridor="NP-AE")
    now_both = survey_selectors.survey_aggregate(world.agency, corridor=world.corridor)
    world.answered([FINE])  # a batch without a corridor: a group of one
    again_hidden = survey_selectors.survey_aggregate(world.agency, corridor=("NP", "QA"))

    assert (qatar.answers, qatar.shown) == (5, False)  # 6 - 5 would be the one in NP-AE
    assert (whole.answers, whole.shown) == (6, True)
    assert (now_both.answers, now_both.shown) == (5, True)
    assert question(now_both, "WS-PAID").counts == (AnswerCount("yes", 0), AnswerCount("no", 5))
    assert (again_hidden.answers, again_hidden.shown) == (5, False)


def test_signals_are_raised_from_one_worker_whatever_k(world):
    world.answered([EVERYTHING, FINE])

    signals = survey_selectors.survey_signals(world.agency)

    assert survey_selectors.survey_aggregate(world.agency).shown is False
    assert [
        (c.criterion, [(s.question.code, s.answer, s.count) for s in c.signals]) for c in signals
    ] == [
        ("C1.1", [("WS-PAID", "yes", 1), ("WS-DEDUCTED", "yes", 1)]),
        ("C2.1", [("WS-PASSPORT", "employer", 1)]),
        ("C3.3", [("WS-CONTRACT", "no", 1)]),
        ("C2.3", [("WS-FREE-TO-LEAVE", "no", 1)]),
    ]
    assert survey_selectors.survey_signal_criteria(world.agency) == ["C1.1", "C2.1", "C3.3", "C2.3"]


def test_a_signal_says_only_how_many_workers_gave_which_answer(world):
    world.answered([EVERYTHING])

    (first, *_rest) = survey_selectors.survey_signals(world.agency)

    assert set(SurveySignal.__dataclass_fields__) == {"question", "answer", "count"}
    assert set(survey_selectors.CriterionSignals.__dataclass_fields__) == {"criterion", "signals"}
    assert first.signals[0].count == 1


@override_settings(SURVEY_SIGNAL_THRESHOLD=2)
def test_a_signal_needs_the_threshold_of_workers(world):
    world.answered([EVERYTHING, {"WS-PASSPORT": "agency"}, {"WS-PASSPORT": "employer"}])

    signals = survey_selectors.survey_signals(world.agency)

    assert [(c.criterion, [(s.answer, s.count) for s in c.signals]) for c in signals] == [
        ("C2.1", [("employer", 2)])
    ]


def test_signals_of_one_standard_version_or_since_a_date(world):
    world.answered([{"WS-PAID": "yes"}], now=NOW)
    world.answered([{"WS-DEDUCTED": "yes"}], now=NOW + timedelta(days=10))

    since = survey_selectors.survey_signals(world.agency, since=date(2027, 3, 5))
    of_version = survey_selectors.survey_signals(world.agency, world.standard)

    assert [(s.question.code, s.count) for s in since[0].signals] == [("WS-DEDUCTED", 1)]
    assert [s.question.code for s in of_version[0].signals] == ["WS-PAID", "WS-DEDUCTED"]


def test_signals_up_to_a_date(world):
    world.answered([{"WS-PAID": "yes"}], now=NOW)
    world.answered([{"WS-DEDUCTED": "yes"}], now=NOW + timedelta(days=10))

    until = survey_selectors.survey_signals(world.agency, until=NOW.date())

    assert [(s.question.code, s.count) for s in until[0].signals] == [("WS-PAID", 1)]
    assert (
        survey_selectors.survey_signal_criteria(world.agency, until=NOW.date() - timedelta(days=1))
        == []
    )


def _queries(work) -> int:
    with CaptureQueriesContext(connection) as captured:
        work()
    return len(captured.captured_queries)


def test_reads_cost_the_same_queries_for_five_answers_or_thirty(world):
    world.answered([EVERYTHING] * 5)
    reads = [
        lambda: survey_selectors.survey_aggregate(world.agency),
        lambda: survey_selectors.survey_aggregate(world.agency, corridor="NP-QA"),
        lambda: survey_selectors.survey_aggregate(world.agency, stepped=True),
        lambda: survey_selectors.survey_signals(world.agency),
        lambda: survey_selectors.survey_counts(world.agency),
        lambda: list(survey_selectors.survey_batch_list(world.agency)),
    ]
    few = [_queries(read) for read in reads]

    world.answered([EVERYTHING, FINE, {}] * 10)
    many = [_queries(read) for read in reads]

    assert few == many
    assert few[0] <= 6 and few[2] <= 8 and few[3] <= 5


def test_the_batch_list_counts_answers_per_batch_and_holds_no_code(world):
    _first, codes = world.issue(count=4)
    surveys.survey_answer(code=codes[0], answers={}, language="en")
    world.issue(count=2)

    listed = list(survey_selectors.survey_batch_list(world.agency))

    assert sorted((b.count, b.answered) for b in listed) == [(2, 0), (4, 1)]
