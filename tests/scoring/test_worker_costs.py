"""Worker costs: any amount above zero borne by a worker, by any route, is a breach."""

from decimal import Decimal

import pytest

from scoring.engine import InvalidInput, WorkerCostItem, check_worker_costs

pytestmark = pytest.mark.outside_the_database  # pure: no database at all


def item(**changes) -> dict:
    return {
        "category": "medical",
        "amount": "50",
        "currency": "USD",
        "borne_by": "worker",
        "route": "paid",
        **changes,
    }


@pytest.mark.parametrize("route", ["paid", "deducted_from_wages", "loan", "paid_to_sub_agent"])
def test_a_cost_borne_by_a_worker_is_a_breach_whatever_the_route(route):
    result = check_worker_costs([item(route=route)])

    assert (result.breach, result.worker_borne) == (True, (0,))


@pytest.mark.parametrize("borne_by", ["employer", "agency", "sub_agent"])
def test_a_cost_borne_by_anyone_else_is_no_breach(borne_by):
    assert check_worker_costs([item(borne_by=borne_by)]).breach is False


def test_no_cost_and_a_zero_amount_are_no_breach():
    assert check_worker_costs([]).breach is False
    assert check_worker_costs([item(amount="0.00")]).breach is False


def test_totals_per_currency_and_per_category():
    result = check_worker_costs(
        [
            item(amount="50", category="medical", route="deducted_from_wages"),
            item(
                amount="120.50",
                category="administrative",
                currency="NPR",
                route="paid_to_sub_agent",
            ),
            item(amount="900", category="travel_lodging", borne_by="employer"),
            WorkerCostItem("medical", Decimal("25"), "USD", "worker", "loan"),
        ]
    )

    assert result.worker_borne == (0, 1, 3)
    assert result.totals_by_currency == {"USD": Decimal("975"), "NPR": Decimal("120.50")}
    assert result.worker_totals_by_currency == {"USD": Decimal("75"), "NPR": Decimal("120.50")}
    assert result.worker_totals_by_category == {
        "medical": {"USD": Decimal("75")},
        "administrative": {"NPR": Decimal("120.50")},
    }
    assert result.totals_by_category["travel_lodging"] == {"USD": Decimal("900")}
    assert result.to_dict()["worker_totals_by_currency"] == {"NPR": "120.50", "USD": "75"}


def test_an_invalid_item_is_named_by_its_index_and_field():
    items = [item(), item(), item(), item(currency="USS")]

    with pytest.raises(InvalidInput) as caught:
        check_worker_costs(items)

    assert caught.value.errors == ("worker_costs[3].currency: unknown currency 'USS'",)


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"amount": "-5"}, "worker_costs[0].amount: must be a number of 0 or more"),
        ({"amount": "fifty"}, "worker_costs[0].amount: must be a number of 0 or more"),
        ({"amount": "NaN"}, "worker_costs[0].amount: must be a number of 0 or more"),
        ({"amount": True}, "worker_costs[0].amount: must be a number of 0 or more"),
        (
            {"category": "visa"},
            "worker_costs[0].category: unknown category 'visa' (one of recruitment_fee, "
            "medical, insurance, skills_test, training, equipment, travel_lodging, administrative, illegitimate)",
        ),
        (
            {"borne_by": "family"},
            "worker_costs[0].borne_by: must be one of worker, employer, agency, sub_agent",
        ),
        (
            {"route": "gift"},
            "worker_costs[0].route: must be one of paid, deducted_from_wages, loan, paid_to_sub_agent",
        ),
        (
            {"borne_by": "employer", "route": "deducted_from_wages"},
            "worker_costs[0].borne_by: a cost deducted from wages is borne by the worker, not the employer",
        ),
        ({"fee": 1}, "worker_costs[0].fee: unknown field"),
        ({"amount": "0.0001"}, "worker_costs[0].amount: at most 3 decimal places"),
        ({"amount": "1E-24"}, "worker_costs[0].amount: at most 3 decimal places"),
        (
            {"amount": "10000000000000000000000000000"},
            "worker_costs[0].amount: must be less than 100,000,000,000",
        ),
        ({"amount": "1E+999999"}, "worker_costs[0].amount: must be less than 100,000,000,000"),
    ],
)
def test_each_kind_of_invalid_item_is_refused(changes, error):
    with pytest.raises(InvalidInput) as caught:
        check_worker_costs([item(**changes)])

    assert caught.value.errors == (error,)


def test_a_missing_field_and_a_list_that_is_not_one_are_refused():
    incomplete = item()
    del incomplete["currency"]

    with pytest.raises(InvalidInput) as missing:
        check_worker_costs([incomplete])
    with pytest.raises(InvalidInput) as not_a_list:
        check_worker_costs({"0": item()})

    assert missing.value.errors == ("worker_costs[0].currency: required",)
    assert not_a_list.value.errors == ("worker_costs: must be a list of cost items",)


def test_totals_are_exact_whatever_the_amounts_accepted():
    largest = "99999999999.999"

    result = check_worker_costs([item(amount=largest), item(amount="0.001")])
    many = check_worker_costs([item(amount=largest)] * 1000)

    assert result.to_dict()["worker_totals_by_currency"] == {"USD": "100000000000.000"}
    assert many.to_dict()["totals_by_currency"] == {"USD": "99999999999999.000"}


def test_amounts_and_totals_are_written_without_exponents():
    result = check_worker_costs([item(amount="1E+2"), item(amount="5E-3")]).to_dict()

    assert [i["amount"] for i in result["items"]] == ["100", "0.005"]
    assert result["totals_by_currency"] == {"USD": "100.005"}
    assert result["worker_totals_by_category"] == {"medical": {"USD": "100.005"}}
