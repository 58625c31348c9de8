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


def _texts(en: str, fr: str, ne: str) -> dict:
    return {"en": en, "fr": fr, "ne": ne}


_SURVEY = {
    "languages": ["en", "fr", "ne"],
    "questions": [
        {
            "code": "WS-PAID",
            "criterion": "C1.1",
            "answer_type": "yes_no",
            "text": _texts("Did you pay?", "Avez-vous payé ?", "तिर्नुभयो?"),
            "help": _texts("Count it all.", "Comptez tout.", "सबै गन्नुहोस्।"),
            "signal": {"answers": ["yes"]},
        },
        {
            "code": "WS-AMOUNT",
            "criterion": "C1.1",
            "answer_type": "amount",
            "text": _texts("How much?", "Combien ?", "कति?"),
            "ask_if": {"question": "WS-PAID", "answer": "yes"},
        },
        {
            "code": "WS-FOR",
            "criterion": "C1.1",
            "answer_type": "multi_choice",
            "text": _texts("For what?", "Pour quoi ?", "केका लागि?"),
            "choices": [
                {
                    "code": "medical",
                    "label": _texts("Medical", "Médical", "स्वास्थ्य"),
                    "fee_category": "medical",
                },
                {
                    "code": "visa",
                    "label": _texts("Visa", "Visa", "भिसा"),
                    "fee_category": "administrative",
                },
                {"code": "other", "label": _texts("Other", "Autre", "अरू")},
            ],
            "ask_if": {"question": "WS-PAID", "answer": "yes"},
        },
        {
            "code": "WS-PASSPORT",
            "criterion": "C2.1",
            "answer_type": "choice",
            "text": _texts("Who has your passport?", "Qui a votre passeport ?", "राहदानी कससँग?"),
            "choices": [
                {"code": "me", "label": _texts("Me", "Moi", "म")},
                {"code": "agency", "label": _texts("The agency", "L'agence", "एजेन्सी")},
            ],
            "signal": {"answers": ["agency"]},
        },
        {
            "code": "WS-GENDER",
            "answer_type": "choice",
            "text": _texts("Woman or man?", "Femme ou homme ?", "महिला कि पुरुष?"),
            "choices": [
                {"code": "woman", "label": _texts("Woman", "Femme", "महिला")},
                {"code": "man", "label": _texts("Man", "Homme", "पुरुष")},
            ],
            "optional_personal": True,
        },
    ],
}


def valid_survey_standard() -> dict:
    """The small standard with a small worker survey in English, French and Nepali."""
    data = valid_standard()
    data["worker_survey"] = copy.deepcopy(_SURVEY)
    return data
