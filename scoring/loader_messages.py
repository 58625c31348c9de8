"""The standard loader's problems (a place, a code and parameters, scoring/standard_file) in
the reader's language. Places in the file (``principles[0].criteria[1].code``), file paths
and the codes a file gives stay as they are: they are what the file says."""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from scoring.standard_file import Problem, StandardFileError

# The English says what the package's own English (checking.ENGLISH) says, word for word, so
# that an English reader sees the same text whichever layer wrote it.
LOADER_PROBLEMS = {
    # any field
    "not_a_mapping": _("must be a mapping of fields"),
    "unknown_field": _("unknown field"),
    "required": _("required"),
    "not_a_string": _("must be a string"),
    "number_not_a_string": _('must be a string (quote it: "%(value)s")'),
    "empty": _("must not be empty"),
    "invalid_code": _(
        "'%(value)s' is not a valid code (letters, digits, dots, dashes, underscores)"
    ),
    "invalid_standard_code": _(
        "'%(value)s' is not a valid code (lower-case letters, digits and dashes)"
    ),
    "not_one_of": _("must be one of %(choices)s"),
    "not_a_boolean": _("must be true or false"),
    "not_a_number": _("must be a number"),
    "number_too_large": _("must be a number below %(limit)s"),
    "too_many_places": _("must have at most %(places)s decimal places"),
    "not_a_list": _("must be a list"),
    "duplicate_principle_code": _("duplicate principle code '%(code)s' (first at %(first)s)"),
    "duplicate_criterion_code": _("duplicate criterion code '%(code)s' (first at %(first)s)"),
    "duplicate_question_code": _("duplicate question code '%(code)s' (first at %(first)s)"),
    "duplicate_survey_question_code": _(
        "duplicate survey question code '%(code)s' (first at %(first)s)"
    ),
    # principles, criteria and questions
    "extends_needs_folder": _("only a standard file read from its folder can extend another"),
    "second_worker_costs": _("only one worker_costs question per standard (first at %(first)s)"),
    "not_positive": _("must be greater than 0"),
    "unknown_indicator": _("'%(value)s' is not a forced-labour indicator (one of %(choices)s)"),
    "indicator_twice": _("lists an indicator twice"),
    "choices_not_allowed": _("only a choice question has choices"),
    "rule_on_worker_costs": _(
        "a worker_costs question takes no rule "
        "(worker costs are compliant only when no worker bore any cost)"
    ),
    "rule_on_text": _("a text question takes no rule (text answers are not scored)"),
    "required_for_answer_type": _("required for a %(answer_type)s question"),
    "no_bounds": _("give min, max or both"),
    "min_above_max": _("must not be greater than max"),
    "not_a_choice": _("'%(value)s' is not one of the question's choices"),
    "choice_twice": _("lists a choice twice"),
    "too_few_choices": _("must offer at least 2 choices"),
    "duplicate_choice": _("duplicate choice '%(code)s'"),
    # the worker survey
    "not_a_language_code": _(
        "'%(value)s' is not a language code (lower case, such as en, ne or pt-br)"
    ),
    "language_twice": _("lists '%(value)s' twice"),
    "missing_languages": _("must include %(languages)s"),
    "criterion_required": _(
        "required (only a personal question, optional_personal: true, has none)"
    ),
    "unknown_criterion": _("'%(value)s' is not a criterion of this standard"),
    "not_a_text_mapping": _("must be a mapping of language to text"),
    "not_a_survey_language": _("not one of the survey's languages"),
    "survey_choices_not_allowed": _("only a choice or multi_choice question has choices"),
    "later_question": _("'%(question)s' must be an earlier question of the survey"),
    "unknown_question": _("'%(question)s' is not a question of the survey"),
    "condition_on_amount": _("'%(question)s' asks for an amount, not an answer"),
    "not_an_answer_of": _("'%(answer)s' is not an answer of '%(question)s' (%(answers)s)"),
    "signal_on_amount": _("an amount raises no signal (the question it follows does)"),
    "signal_needs_criterion": _(
        "a signal needs the question's criterion: the auditor checks it there"
    ),
    "not_an_answer": _("'%(value)s' is not one of the question's answers (%(answers)s)"),
    "answer_twice": _("lists an answer twice"),
    # the file itself
    "unreadable": _("cannot be read (%(reason)s)"),
    "too_large": _("larger than %(megabytes)s MB"),
    "not_utf8": _("not UTF-8 text"),
    "invalid_yaml": _("not valid YAML (%(problem)s)"),
    "duplicate_key": _("duplicate key '%(key)s'"),
    "extends_not_same_folder": _(
        "must name a standard file in the same folder (such as fairrecruit-reference-1.0.yaml)"
    ),
    "extends_cycle": _("%(file)s leads back to this file"),
    "extends_too_deep": _("more than %(limit)s files extend each other"),
    "in_extended_file": _("%(file)s: %(problem)s"),
    "same_version_as_extended": _(
        "'%(version)s' is the version of %(file)s; give this one its own"
    ),
}

# The place of a problem of the whole file, and of one in its YAML syntax.
FILE = _("file")
LINE_AND_COLUMN = _("line %(line)s, column %(column)s")


def problem_text(problem: Problem) -> str:
    """``<place>: <message>`` in the active language; the package's English if the code is new."""
    return f"{_place(problem)}: {_message(problem)}"


def problems_text(error: StandardFileError) -> list[str]:
    return [problem_text(problem) for problem in error.problems]


def _place(problem: Problem) -> str:
    if problem.path:
        return problem.path
    if "line" in problem.params:
        return str(LINE_AND_COLUMN) % dict(problem.params)
    return str(FILE)


def _message(problem: Problem) -> str:
    message = LOADER_PROBLEMS.get(problem.code)
    if message is None:
        return problem.message
    params = {}
    for key, value in problem.params.items():
        if isinstance(value, Problem):  # a problem of the file this one extends
            value = problem_text(value)
        elif isinstance(value, tuple):  # codes
            value = [str(item) for item in value]
            value = _and_list(value) if key == "languages" else ", ".join(value)
        params[key] = value
    return str(message) % params


def _and_list(values: list[str]) -> str:
    """``en, ne and fr``: how the package's English lists the languages a survey lacks."""
    if len(values) < 2:
        return "".join(values)
    return gettext("%(items)s and %(last)s") % {"items": ", ".join(values[:-1]), "last": values[-1]}
