"""The documented example is a valid standard: the docs tell the truth."""

import re

from scoring.standard_file import parse_standard
from tests.conftest import PROJECT_DIR


def test_the_example_in_the_format_documentation_is_valid():
    text = (PROJECT_DIR / "docs" / "standard-format.md").read_text(encoding="utf-8")
    [example] = re.findall(r"## A small complete example\n\n```yaml\n(.*?)```", text, re.DOTALL)

    spec = parse_standard(example)

    assert [c.code for c in spec.criteria()] == ["C1.1", "C1.2"]
    assert [q.answer_type for q in spec.questions()] == [
        "worker_costs",
        "yes_no",
        "choice",
        "number",
        "text",
    ]
    assert spec.principles[0].criteria[0].questions[1].expected == "no"
