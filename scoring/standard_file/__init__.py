"""The standard as a data file: parse, validate and write it back. Pure Python: no Django.

A file is YAML (JSON is accepted too, being YAML). `parse_standard` returns an immutable
`StandardSpec` or raises `StandardFileError` listing every problem with its place in the
file, such as ``principles[2].criteria[0].weight: must be greater than 0``: in English in
`errors`, and as a `Problem` (place, code, parameters) in `problems`, for the Django layer
to word in the reader's language (scoring/loader_messages.py). The format is described in
docs/standard-format.md.

This package's top is its public face; the parts are `spec` (the immutable specification
and its writing), `reading` (the file and its YAML, and a file that extends another),
`validation` (every check), `survey` (the checks of the worker survey) and `checking` (the
checks they share).
"""

from scoring.standard_file.checking import Problem
from scoring.standard_file.reading import MAX_FILE_BYTES, parse_standard, read_standard_file
from scoring.standard_file.spec import (
    AskIf,
    Choice,
    CriterionSpec,
    PrincipleSpec,
    QuestionSpec,
    StandardSpec,
    SurveyChoiceSpec,
    SurveyQuestionSpec,
    SurveyText,
    Text,
    WorkerSurveySpec,
    dump_json,
    dump_yaml,
)
from scoring.standard_file.validation import StandardFileError, validate_standard

__all__ = [
    "MAX_FILE_BYTES",
    "AskIf",
    "Choice",
    "CriterionSpec",
    "PrincipleSpec",
    "Problem",
    "QuestionSpec",
    "StandardFileError",
    "StandardSpec",
    "SurveyChoiceSpec",
    "SurveyQuestionSpec",
    "SurveyText",
    "Text",
    "WorkerSurveySpec",
    "dump_json",
    "dump_yaml",
    "parse_standard",
    "read_standard_file",
    "validate_standard",
]
