"""Days as people read them (config/formats/), written out here independently of the code
under test: "4 December 2026", "4 décembre 2026"."""

MONTHS = {
    "en": [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
    "fr": [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ],
}


def long_day(day, language: str = "en") -> str:
    return f"{day.day} {MONTHS[language][day.month - 1]} {day.year}"
