"""The table of case transitions in docs/workflow.md, written from the declaration
(certification/transitions.py) and the state machine (certification/models.py), so that
the docs cannot drift from the code: `make docs` writes it, a test checks it."""

from pathlib import Path

from certification import transitions
from certification.models import CertificationCase

START = "<!-- transitions: written by `make docs` from certification/transitions.py -->"
END = "<!-- /transitions -->"
WHO = {
    transitions.AGENCY_MEMBER: "agency member",
    transitions.ASSIGNED_AUDITOR: "assigned auditor",
    transitions.REVIEWER: "reviewer",
    transitions.SCHEDULER: "scheduler",
}
TOLD = {
    transitions.AGENCY: "agency",
    transitions.AUDITOR: "auditor",
    transitions.REVIEWERS: "reviewers",
}


def _moves(name: str) -> str:
    sources, targets = [], []
    for move in CertificationCase._meta.get_field("state").get_all_transitions(CertificationCase):
        if move.name != name:
            continue
        sources.append(str(move.source))
        allowed = getattr(move.target, "allowed_states", None)
        for target in allowed or [move.target]:
            if str(target) not in targets:
                targets.append(str(target))
    return f"{', '.join(sources)} → {' or '.join(targets)}"


def rows() -> list[str]:
    lines = [
        "| use case | transition | from → to | who | reason | who is told | public status |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for name, entry in transitions.CASE_TRANSITIONS.items():
        lines.append(
            "| `{use_case}` | {name} | {moves} | {who} | {reason} | {told} | {public} |".format(
                use_case=entry.service.rpartition(":")[2],
                name=name,
                moves=_moves(name),
                who=", ".join(WHO[role] for role in WHO if role in entry.roles),
                reason=entry.reason.value,
                told=", ".join(TOLD[who] for who in TOLD if who in entry.audience),
                public="may change" if entry.public else "—",
            )
        )
    return lines


def written(document: str) -> str:
    """The document with the table between its markers replaced by the current one."""
    before, start, rest = document.partition(START)
    _old, end, after = rest.partition(END)
    if not start or not end:
        raise ValueError(f"the document has no {START} … {END} markers")
    return before + START + "\n" + "\n".join(rows()) + "\n" + END + after


def write(path: Path) -> bool:
    """Rewrite the table in the file; True when it changed."""
    document = path.read_text(encoding="utf-8")
    updated = written(document)
    if updated != document:
        path.write_text(updated, encoding="utf-8")
    return updated != document
