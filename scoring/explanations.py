"""The engine's problems with a worker-cost item (a code and parameters, scoring/engine/core.py)
in the reader's language. Codes a person types (categories, currencies, routes) stay codes:
they are what the sheet or the form asks for."""

from django.utils.translation import gettext_lazy as _

COST_PROBLEMS = {
    "cost_not_a_list": _("must be a list of cost items"),
    "cost_not_an_item": _("must be a cost item with %(fields)s"),
    "cost_unknown_field": _("unknown field"),
    "cost_required": _("required"),
    "cost_unknown_category": _("unknown category '%(value)s' (one of %(choices)s)"),
    "cost_unknown_currency": _("unknown currency '%(value)s'"),
    "cost_not_one_of": _("must be one of %(choices)s"),
    "cost_worker_only_route": _("a cost %(route)s is borne by the worker, not %(bearer)s"),
    "cost_amount_not_a_number": _("must be a number of 0 or more"),
    "cost_amount_places": _("at most %(places)s decimal places"),
    "cost_amount_too_large": _("must be less than %(limit)s"),
}


# How a sentence names a route and a bearer ("a cost deducted from wages", "not the employer").
ROUTES = {
    "paid": _("paid"),
    "deducted_from_wages": _("deducted from wages"),
    "loan": _("taken as a loan"),
    "paid_to_sub_agent": _("paid to a sub-agent"),
}
BEARERS = {
    "worker": _("the worker"),
    "employer": _("the employer"),
    "agency": _("the agency"),
    "sub_agent": _("the sub-agent"),
}


def cost_problem_text(problem) -> str:
    """One problem (an Explanation) in the active language; its English if the code is new."""
    message = COST_PROBLEMS.get(problem.code)
    if message is None:
        return problem.text
    params = {
        key: ", ".join(value) if isinstance(value, tuple) else value
        for key, value in problem.params.items()
    }
    if "route" in params:
        params["route"] = str(ROUTES.get(params["route"], params["route"]))
    if "bearer" in params:
        params["bearer"] = str(BEARERS.get(params["bearer"], params["bearer"]))
    return str(message) % params
