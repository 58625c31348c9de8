"""A small valid standard, as parsed data, for tests to break one piece at a time."""

import copy


def _text(en: str, fr: str) -> dict:
    return {"en": en, "fr": fr}


_VALID = {
    "code": "mini",
    "version": "1.0",
    "title": _text("Mini standard", "Mini référentiel"),
    "status": "draft",
    "principles": [
        {
            "code": "A",
            "kind": "overarching",
            "title": _text("Laws", "Lois"),
            "criteria": [
                {
                    "code": "A1",
                    "text": _text("Holds its licences.", "Détient ses licences."),
                    "weight": 2,
                    "questions": [
                        {
                            "code": "A1-01",
                            "text": _text("Licensed?", "Licence ?"),
                            "help": _text("Show it.", "Montrez-la."),
                            "answer_type": "yes_no",
                            "rule": {"expected": "yes"},
                        },
                    ],
                },
            ],
        },
        {
            "code": "C1",
            "kind": "specific",
            "title": _text("No fees", "Aucuns frais"),
            "criteria": [
                {
                    "code": "C1.1",
                    "text": _text("Charges no fee.", "Aucuns frais."),
                    "weight": 3,
                    "zero_tolerance": True,
                    "forced_labour_indicators": ["debt_bondage"],
                    "questions": [
                        {
                            "code": "C1.1-01",
                            "text": _text("Costs borne?", "Coûts supportés ?"),
                            "answer_type": "worker_costs",
                        },
                        {
                            "code": "C1.1-02",
                            "text": _text("Deposits?", "Dépôts ?"),
                            "answer_type": "choice",
                            "choices": [
                                {"code": "none", "label": _text("None", "Aucun")},
                                {"code": "some", "label": _text("Some", "Certains")},
                            ],
                            "rule": {"compliant_choices": ["none"]},
                        },
                        {
                            "code": "C1.1-03",
                            "text": _text("Share repaid (%)?", "Part remboursée (%) ?"),
                            "answer_type": "number",
                            "allow_not_applicable": True,
                            "rule": {"min": 100, "max": 100},
                        },
                        {
                            "code": "C1.1-04",
                            "text": _text("Describe.", "Décrivez."),
                            "answer_type": "text",
                            "required": False,
                        },
                    ],
                },
            ],
        },
        {
            "code": "C2",
            "kind": "specific",
            "title": _text("Movement", "Mouvement"),
            "criteria": [
                {
                    "code": "C2.1",
                    "text": _text("Keeps no passport.", "Ne garde aucun passeport."),
                    "weight": 3,
                    "zero_tolerance": True,
                    "questions": [
                        {
                            "code": "C2.1-01",
                            "text": _text("Keeps passports?", "Garde des passeports ?"),
                            "answer_type": "yes_no",
                            "rule": {"expected": "no"},
                        },
                    ],
                },
            ],
        },
    ],
}


def valid_standard() -> dict:
    return copy.deepcopy(_VALID)
