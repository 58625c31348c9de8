# One date format per language for people (issue 19): the long form everywhere, short
# named formats included, so that no page mixes "Nov. 30, 2029" with "11/30/2029".
# Exports and the API write ISO 8601 themselves.
DATE_FORMAT = "j F Y"
SHORT_DATE_FORMAT = DATE_FORMAT
DATETIME_FORMAT = "j F Y, H:i"
SHORT_DATETIME_FORMAT = DATETIME_FORMAT
TIME_FORMAT = "H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
