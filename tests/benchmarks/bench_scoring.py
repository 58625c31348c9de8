"""Benchmark of the scoring engine (`make bench`): figures, never assertions.

Reports, in one run on this machine:
- the median time to score one complete reference self-assessment, with reasons;
- the time to score 10,000 random complete self-assessments;
- the floor: a bare loop over the same answers doing one dictionary look-up and one
  comparison per question; and the engine's ratio to it.
"""

import argparse
import gc
import json
import random
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(PROJECT_DIR))

from scoring.catalogue import catalogue_from_file  # noqa: E402
from scoring.engine import score_self_assessment  # noqa: E402
from scoring.engine.vocabulary import WORKER_COST_CATEGORIES  # noqa: E402
from tests.scoring.answers import compliant_answers, non_compliant_value  # noqa: E402

REFERENCE = PROJECT_DIR / "scoring" / "standards" / "fairrecruit-reference-1.0.yaml"


def per_call(function, argument, calls: int, repeats: int) -> float:
    """Median seconds per call over `repeats` batches of `calls` calls."""
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(calls):
            function(argument)
        samples.append((time.perf_counter() - start) / calls)
    return statistics.median(samples)


def random_answers(catalogue, rng: random.Random) -> dict:
    answers = {}
    for q in catalogue.questions:
        if q.answer_type == "yes_no":
            answers[q.code] = rng.choice(("yes", "no"))
        elif q.answer_type == "choice":
            answers[q.code] = rng.choice(q.choices)
        elif q.answer_type == "number":
            answers[q.code] = Decimal(rng.randint(0, 100))
        elif q.answer_type == "worker_costs":
            answers[q.code] = [
                {
                    "category": rng.choice(WORKER_COST_CATEGORIES),
                    "amount": Decimal(rng.randint(0, 500)),
                    "currency": rng.choice(("USD", "NPR", "PHP")),
                    "borne_by": rng.choice(("worker", "employer", "agency")),
                    "route": "paid",
                }
                for _ in range(rng.randint(0, 3))
            ]
        else:
            answers[q.code] = "Context."
        if q.allow_not_applicable and rng.random() < 0.2:
            answers[q.code] = "not_applicable"
    return answers


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--json", action="store_true", help="print the figures as JSON too")
    options = parser.parse_args()
    catalogue = catalogue_from_file(REFERENCE)
    questions = len(catalogue.questions)

    # A complete self-assessment with reasons: compliant but for six answers, one of them
    # a worker's fee, as an agency's first attempt often is.
    typical = compliant_answers(catalogue)
    for code in ("A4-02", "B1-04", "B2-03", "C1.1-01", "C3.1-02", "C4.2-02"):
        typical[code] = non_compliant_value(catalogue.question(code))
    result = score_self_assessment(catalogue, typical)
    assert len(result.reasons) == 6, result.reasons
    all_compliant = compliant_answers(catalogue)

    pairs = [(code, value) for code, value in all_compliant.items()]

    def floor(answers):
        compliant = 0
        for code, expected in pairs:
            if answers[code] == expected:
                compliant += 1
        return compliant

    def engine(answers):
        return score_self_assessment(catalogue, answers)

    gc.collect()
    gc.disable()  # no collector pauses inside a sample
    try:
        typical_s = per_call(engine, typical, 2_000, 25)
        compliant_s = per_call(engine, all_compliant, 2_000, 25)
        floor_s = per_call(floor, all_compliant, 20_000, 25)
        rng = random.Random(20261128)
        batch = [random_answers(catalogue, rng) for _ in range(10_000)]
        start = time.perf_counter()
        ready = sum(engine(answers).ready for answers in batch)
        batch_s = time.perf_counter() - start
    finally:
        gc.enable()

    figures = {
        "python": sys.version.split()[0],
        "questions": questions,
        "one_self_assessment_with_reasons_us": round(typical_s * 1e6, 1),
        "one_self_assessment_all_compliant_us": round(compliant_s * 1e6, 1),
        "floor_us": round(floor_s * 1e6, 2),
        "ratio_to_floor": round(typical_s / floor_s, 1),
        "random_10000_total_s": round(batch_s, 3),
        "random_10000_per_assessment_us": round(batch_s / len(batch) * 1e6, 1),
        "random_10000_ready": ready,
    }
    print(
        f"Scoring engine benchmark ({questions} questions, Python {figures['python']}, median of 25 runs)"
    )
    print(
        f"  one self-assessment with 6 reasons : {figures['one_self_assessment_with_reasons_us']:>8} µs   (target < 100 µs)"
    )
    print(
        f"  one self-assessment, all compliant : {figures['one_self_assessment_all_compliant_us']:>8} µs"
    )
    print(f"  floor (1 look-up + 1 comparison/q) : {figures['floor_us']:>8} µs")
    print(
        f"  ratio to the floor                 : {figures['ratio_to_floor']:>8} x    (target within 20 x)"
    )
    print(
        f"  10,000 random self-assessments     : {figures['random_10000_total_s']:>8} s    "
        f"({figures['random_10000_per_assessment_us']} µs each, {ready} ready)"
    )
    if options.json:
        print(json.dumps(figures))


if __name__ == "__main__":
    main()
