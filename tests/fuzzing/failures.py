"""The distinct failures in the reports of the last `make fuzz` (test-artifacts/fuzz/)."""

import json
import sys
from pathlib import Path

REPORTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "fuzz"


def distinct(ndjson: Path) -> dict[tuple[str, str, str], int]:
    seen: dict[tuple[str, str, str], int] = {}
    for line in ndjson.read_text(encoding="utf-8").splitlines():
        finished = json.loads(line).get("ScenarioFinished")
        if not finished:
            continue
        for checks in ((finished.get("recorder") or {}).get("checks") or {}).values():
            for check in checks:
                if check.get("status") != "failure":
                    continue
                failure = (check.get("failure_info") or {}).get("failure") or {}
                key = (
                    check.get("name", ""),
                    failure.get("operation", ""),
                    (failure.get("message") or failure.get("title") or "").strip(),
                )
                seen[key] = seen.get(key, 0) + 1
    return seen


if __name__ == "__main__":
    for report in sorted(REPORTS.glob("*.ndjson")):
        for (check, operation, message), times in sorted(distinct(report).items()):
            print(f"{report.stem}: {check} {operation} (x{times})\n    {message[:600]}")
    sys.exit(0)
