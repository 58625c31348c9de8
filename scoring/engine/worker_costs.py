"""Worker costs (DOMAIN.md §3): any amount above zero borne by a worker, in any category and
by any route, is a breach. Pure Python: no Django."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Context, Decimal, Inexact, InvalidOperation, Overflow
from types import MappingProxyType
from typing import Any

from scoring.engine.core import ENGINE_VERSION, Explanation, InvalidInput, explanation
from scoring.engine.vocabulary import BORNE_BY, ROUTES, WORKER_COST_FIELDS
from scoring.engine.vocabulary import WORKER_COST_CATEGORIES as COST_CATEGORIES

# Only a worker can have a cost taken from wages or paid with a loan for a job.
_WORKER_ONLY_ROUTES = frozenset({"deducted_from_wages", "loan"})


def _currencies() -> frozenset[str]:
    global _CURRENCIES
    if _CURRENCIES is None:
        import pycountry  # ISO 4217, loaded on first use only

        _CURRENCIES = frozenset(currency.alpha_3 for currency in pycountry.currencies)
    return _CURRENCIES


_CURRENCIES: frozenset[str] | None = None


@dataclass(frozen=True, slots=True)
class WorkerCostItem:
    """One cost of recruitment: what it was for, how much, who bore it and how."""

    category: str
    amount: Decimal
    currency: str
    borne_by: str
    route: str

    def to_dict(self) -> dict[str, str]:
        return {
            "category": self.category,
            "amount": plain(self.amount),
            "currency": self.currency,
            "borne_by": self.borne_by,
            "route": self.route,
        }


# The amounts a sheet accepts: what the database keeps (14 digits, 3 after the point).
MAX_DECIMAL_PLACES = 3
MAX_AMOUNT = Decimal("100000000000")  # exclusive: 11 digits before the point
# Totals of such amounts are exact: a context this wide never rounds a sum of fewer than
# 10**30 items, and rounding would raise (Inexact) rather than lose a digit silently.
_EXACT = Context(prec=50, traps=[Inexact, Overflow, InvalidOperation])


def plain(amount: Decimal) -> str:
    """An amount as people write it: never in exponent form ("1E+2", "1E-3")."""
    return format(amount, "f")


class _Problems:
    """Each problem twice: as the English line `errors` has always held, and as (path,
    Explanation) for wording in the reader's language."""

    def __init__(self):
        self.errors: list[str] = []
        self.problems: list[tuple[str, Explanation]] = []

    def add(self, path: str, code: str, **params: Any) -> None:
        reason = explanation(code, **params)
        self.errors.append(f"{path}: {reason.text}")
        self.problems.append((path, reason))


def _parse_item(raw: Any, path: str, problems: _Problems) -> WorkerCostItem | None:
    if type(raw) is WorkerCostItem:
        raw = {name: getattr(raw, name) for name in WORKER_COST_FIELDS}
    if type(raw) is not dict and not isinstance(raw, Mapping):
        problems.add(path, "cost_not_an_item", fields=WORKER_COST_FIELDS)
        return None
    before = len(problems.errors)
    for key in raw:
        if key not in WORKER_COST_FIELDS:
            problems.add(f"{path}.{key}", "cost_unknown_field")
    for key in WORKER_COST_FIELDS:
        if key not in raw:
            problems.add(f"{path}.{key}", "cost_required")
    category, currency = raw.get("category"), raw.get("currency")
    borne_by, route = raw.get("borne_by"), raw.get("route")
    if "category" in raw and category not in COST_CATEGORIES:
        problems.add(
            f"{path}.category", "cost_unknown_category", value=category, choices=COST_CATEGORIES
        )
    if "currency" in raw and (not isinstance(currency, str) or currency not in _currencies()):
        problems.add(f"{path}.currency", "cost_unknown_currency", value=currency)
    if "borne_by" in raw and borne_by not in BORNE_BY:
        problems.add(f"{path}.borne_by", "cost_not_one_of", field="borne_by", choices=BORNE_BY)
    if "route" in raw and route not in ROUTES:
        problems.add(f"{path}.route", "cost_not_one_of", field="route", choices=ROUTES)
    elif route in _WORKER_ONLY_ROUTES and borne_by in BORNE_BY and borne_by != "worker":
        problems.add(f"{path}.borne_by", "cost_worker_only_route", route=route, bearer=borne_by)
    amount = None
    if "amount" in raw:
        amount = _decimal(raw["amount"])
        if amount is None or amount < 0:
            problems.add(f"{path}.amount", "cost_amount_not_a_number")
        elif amount.as_tuple().exponent < -MAX_DECIMAL_PLACES:
            problems.add(f"{path}.amount", "cost_amount_places", places=MAX_DECIMAL_PLACES)
        elif amount >= MAX_AMOUNT:
            problems.add(f"{path}.amount", "cost_amount_too_large", limit=MAX_AMOUNT)
    if len(problems.errors) > before:
        return None
    return WorkerCostItem(category, amount, currency, borne_by, route)


def _decimal(value: Any) -> Decimal | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, int | float | str):
        try:
            number = Decimal(str(value).strip())
        except InvalidOperation:
            return None
    else:
        return None
    return number if number.is_finite() else None


def _add(totals: dict, key: str, amount: Decimal) -> None:
    totals[key] = _EXACT.add(totals.get(key, Decimal(0)), amount)


@dataclass(frozen=True, slots=True)
class WorkerCostsResult:
    items: tuple[WorkerCostItem, ...]
    breach: bool
    worker_borne: tuple[int, ...]  # indices of the items a worker bore (amount above zero)
    totals_by_currency: Mapping[str, Decimal]
    worker_totals_by_currency: Mapping[str, Decimal]
    totals_by_category: Mapping[str, Mapping[str, Decimal]]  # category -> currency -> amount
    worker_totals_by_category: Mapping[str, Mapping[str, Decimal]]
    engine_version: str = ENGINE_VERSION

    def describe_breach(self) -> Explanation:
        """What the worker bore, item by item, for a reason's answer."""
        items = tuple(
            MappingProxyType(
                {
                    "amount": plain(self.items[i].amount),
                    "currency": self.items[i].currency,
                    "category": self.items[i].category,
                    "route": self.items[i].route,
                    "item": i,
                }
            )
            for i in self.worker_borne
        )
        return explanation("worker_bore", items=items)

    def to_dict(self) -> dict[str, Any]:
        def money(totals):
            return {currency: plain(amount) for currency, amount in sorted(totals.items())}

        return {
            "engine_version": self.engine_version,
            "breach": self.breach,
            "worker_borne_items": list(self.worker_borne),
            "items": [item.to_dict() for item in self.items],
            "totals_by_currency": money(self.totals_by_currency),
            "worker_totals_by_currency": money(self.worker_totals_by_currency),
            "totals_by_category": {c: money(t) for c, t in sorted(self.totals_by_category.items())},
            "worker_totals_by_category": {
                c: money(t) for c, t in sorted(self.worker_totals_by_category.items())
            },
        }


def check_worker_costs(items: Iterable[Any], *, path: str = "worker_costs") -> WorkerCostsResult:
    """Any amount above zero borne by a worker, by any route, is a breach (DOMAIN.md §3)."""
    if type(items) is not list and type(items) is not tuple:
        if isinstance(items, str | bytes | Mapping) or not isinstance(items, Iterable):
            problems = _Problems()
            problems.add(path, "cost_not_a_list")
            raise InvalidInput(problems.errors, problems.problems)
    elif not items:
        return NO_COSTS  # the common, honest case
    problems = _Problems()
    parsed = [_parse_item(raw, f"{path}[{index}]", problems) for index, raw in enumerate(items)]
    if problems.errors:
        raise InvalidInput(problems.errors, problems.problems)
    totals: dict[str, Decimal] = {}
    worker_totals: dict[str, Decimal] = {}
    by_category: dict[str, dict[str, Decimal]] = {}
    worker_by_category: dict[str, dict[str, Decimal]] = {}
    worker_borne = []
    for index, item in enumerate(parsed):
        _add(totals, item.currency, item.amount)
        _add(by_category.setdefault(item.category, {}), item.currency, item.amount)
        if item.borne_by == "worker":
            _add(worker_totals, item.currency, item.amount)
            _add(worker_by_category.setdefault(item.category, {}), item.currency, item.amount)
            if item.amount > 0:
                worker_borne.append(index)
    return WorkerCostsResult(
        items=tuple(parsed),
        breach=bool(worker_borne),
        worker_borne=tuple(worker_borne),
        totals_by_currency=MappingProxyType(totals),
        worker_totals_by_currency=MappingProxyType(worker_totals),
        totals_by_category=MappingProxyType(
            {k: MappingProxyType(v) for k, v in by_category.items()}
        ),
        worker_totals_by_category=MappingProxyType(
            {k: MappingProxyType(v) for k, v in worker_by_category.items()}
        ),
    )


NO_COSTS = WorkerCostsResult(
    items=(),
    breach=False,
    worker_borne=(),
    totals_by_currency=MappingProxyType({}),
    worker_totals_by_currency=MappingProxyType({}),
    totals_by_category=MappingProxyType({}),
    worker_totals_by_category=MappingProxyType({}),
)
