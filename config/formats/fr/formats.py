# One date format per language for people (see config/formats/en/formats.py): French
# month names come from the translation, the pattern is the same.
from config.formats.en.formats import *  # noqa: F403
