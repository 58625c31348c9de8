"""Log records that would tie a worker survey's code to a time (issue 15 §2).

Django logs every 4xx and 5xx response with its path ("Not Found: /s/ABCD…/"), and the CSRF
middleware its refusals ("Forbidden (CSRF token missing.): /s/ABCD…/"): with the record's
time, a card's code and the moment it was tried. `SurveyPathFilter` drops such records of
the survey's pages (`/s/…`) and API (`/api/v1/surveys/…`) below 500; an error (5xx) is kept,
so that it can be mended, with the code masked and the request (its body holds the
answers) taken off the record.
"""

import logging
import re

# The survey's pages and its API, at the start of a path (or of a word of a message), and
# what follows them: the code.
SURVEY_PATH = re.compile(r"(?<![^\s\"'])(/s/|/api/v1/surveys/)[^\s/\"'?]*")
MASK = r"\1…"


def _is_survey_path(path: str) -> bool:
    return bool(SURVEY_PATH.match(path))


class SurveyPathFilter(logging.Filter):
    """Drops (below 500) or masks (5xx) the log records of survey requests."""

    def filter(self, record: logging.LogRecord) -> bool:
        request = getattr(record, "request", None)
        if request is None and not hasattr(record, "status_code"):
            return True  # not about a request
        path = str(getattr(request, "path_info", "") or "") if request is not None else ""
        try:
            message = record.getMessage()
        except Exception:  # a record that cannot be formatted is not about a survey
            return True
        if not (_is_survey_path(path) or SURVEY_PATH.search(message)):
            return True
        status = getattr(record, "status_code", None)
        if not isinstance(status, int) or status < 500:
            return False
        record.msg = SURVEY_PATH.sub(MASK, message)
        record.args = ()
        record.request = None  # its path, body (the answers) and address
        return True
