"""The worker-cost vocabulary in words, and the engine's problems with a worker-cost item (a
code and parameters, scoring/engine/core.py) in the reader's language, naming the words the
sheet or the form offers. Currencies stay ISO 4217 codes: they are known to all."""

from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# The categories of a worker's cost (DOMAIN.md §3), who bore it and how.
COST_CATEGORY_LABELS = {
    "recruitment_fee": _("Recruitment fee"),
    "medical": _("Medical examinations"),
    "insurance": _("Insurance"),
    "skills_test": _("Skills and qualification tests"),
    "training": _("Training and orientation"),
    "equipment": _("Equipment"),
    "travel_lodging": _("Travel and lodging"),
    "administrative": _("Administrative costs (passports, visas, permits)"),
    "illegitimate": _("Illegitimate costs (bribes, kickbacks)"),
}
BEARER_LABELS = {
    "worker": _("Worker"),
    "employer": _("Employer"),
    "agency": _("Agency"),
    "sub_agent": _("Sub-agent"),
}
ROUTE_LABELS = {
    "paid": _("Paid"),
    "deducted_from_wages": _("Deducted from wages"),
    "loan": _("Loan"),
    "paid_to_sub_agent": _("Paid to a sub-agent"),
}
COST_WORDS = {"category": COST_CATEGORY_LABELS, "borne_by": BEARER_LABELS, "route": ROUTE_LABELS}

COST_PROBLEMS = {
    "cost_not_a_list": _("must be a list of cost items"),
    "cost_not_an_item": _("must be a cost item with %(fields)s"),
    "cost_unknown_field": _("unknown field"),
    "cost_required": _("required"),
    "cost_unknown_category": _("unknown category '%(value)s' (one of %(choices)s)"),
    "cost_unknown_currency": _("unknown currency '%(value)s'"),
    "cost_not_one_of": _("must be one of: %(choices)s"),
    "cost_worker_only_route": _("a cost %(route)s is borne by the worker, not by %(bearer)s"),
    "cost_amount_not_a_number": _("must be a number of 0 or more"),
    "cost_amount_places": _("at most %(places)s decimal places"),
    "cost_amount_too_large": _("must be less than %(limit)s"),
}

# "a cost deducted from wages is borne by the worker": the route as that sentence needs it.
IN_A_SENTENCE = {
    "paid": pgettext_lazy("a cost … is borne by the worker", "paid"),
    "deducted_from_wages": pgettext_lazy("a cost … is borne by the worker", "deducted from wages"),
    "loan": pgettext_lazy("a cost … is borne by the worker", "taken as a loan"),
    "paid_to_sub_agent": pgettext_lazy("a cost … is borne by the worker", "paid to a sub-agent"),
}
# "… not by the employer": the bearer as that sentence needs it ("de l'employeur").
NOT_BORNE_BY = {
    "employer": pgettext_lazy("a cost not borne by", "the employer"),
    "agency": pgettext_lazy("a cost not borne by", "the agency"),
    "sub_agent": pgettext_lazy("a cost not borne by", "the sub-agent"),
}


def _words(field: str, codes) -> str:
    words = COST_WORDS.get(field, {})
    return ", ".join(str(words.get(code, code)).lower() for code in codes)


def cost_problem_text(problem) -> str:
    """One problem (an Explanation) in the active language; its English if the code is new
    or its parameters are not those this wording needs."""
    message = COST_PROBLEMS.get(problem.code)
    if message is None:
        return problem.text
    params = dict(problem.params)
    if problem.code == "cost_unknown_category":
        params["choices"] = _words("category", params.get("choices", ()))
    elif problem.code == "cost_not_one_of":
        params["choices"] = _words(params.get("field", ""), params.get("choices", ()))
    elif problem.code == "cost_worker_only_route":
        params["route"] = str(IN_A_SENTENCE.get(params["route"], params["route"]))
        params["bearer"] = str(NOT_BORNE_BY.get(params["bearer"], params["bearer"]))
    elif problem.code == "cost_amount_too_large":
        params["limit"] = number_format(params["limit"], force_grouping=True)
    elif problem.code == "cost_not_an_item":
        params["fields"] = ", ".join(params.get("fields", ()))
    try:
        return str(message) % params
    except (KeyError, TypeError, ValueError):
        return problem.text
