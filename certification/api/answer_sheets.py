"""The answer sheet (docs/scoring.md): a self-assessment's answers as the API reads and
writes them, for PATCH /cases/{id}/answers/ and for the workbook sent back filled."""

import re

from rest_framework import serializers

from scoring.engine.worker_costs import plain


class AnswerSheetSerializer(serializers.Serializer):
    standard = serializers.CharField(required=False)
    version = serializers.CharField(required=False)
    answers = serializers.DictField(
        help_text="question code -> answer: 'yes'/'no', a choice code, a number, 'not_applicable', "
        "a text, or for worker costs a list of items; null removes an answer"
    )

    def validate_answers(self, answers: dict) -> dict:
        # A key is a question code, named back in any error: a short, printable text.
        for code in answers:
            if len(code) > 64 or not code.isprintable() or re.search("[\ud800-\udfff]", code):
                raise serializers.ValidationError("Question codes are short printable texts.")
        return answers


def answers_out(answers: dict) -> dict:
    """Stored answers as JSON carries them: numbers as numbers, amounts as plain strings."""
    out = {}
    for code, value in answers.items():
        if isinstance(value, list):
            value = [{**item, "amount": plain(item["amount"])} for item in value]
        elif hasattr(value, "as_tuple"):
            value = float(value) if value != value.to_integral_value() else int(value)
        out[code] = value
    return out
