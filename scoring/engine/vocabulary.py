"""Fixed vocabularies of the domain (DOMAIN.md §3 to §5). Pure Python: no Django.

The Django layer takes its values from here and adds only labels in the reader's words."""

# ILO indicators of forced labour an auditor can tag a finding with, and a criterion covers.
FORCED_LABOUR_INDICATORS: tuple[str, ...] = (
    "abuse_of_vulnerability",
    "deception",
    "restriction_of_movement",
    "isolation",
    "physical_sexual_violence",
    "intimidation_threats",
    "retention_of_identity_documents",
    "withholding_of_wages",
    "debt_bondage",
    "abusive_working_living_conditions",
    "excessive_overtime",
)

# Recruitment fees and related costs (ILO definition, 2019): no worker may bear any of them.
WORKER_COST_CATEGORIES: tuple[str, ...] = (
    "recruitment_fee",
    "medical",
    "insurance",
    "skills_test",
    "training",
    "equipment",
    "travel_lodging",
    "administrative",
    "illegitimate",
)
# Who bore a cost, and how it reached them (DOMAIN.md §3).
BORNE_BY: tuple[str, ...] = ("worker", "employer", "agency", "sub_agent")
ROUTES: tuple[str, ...] = ("paid", "deducted_from_wages", "loan", "paid_to_sub_agent")
# The fields of a cost item, in the order sheets and workbooks show them.
WORKER_COST_FIELDS: tuple[str, ...] = ("category", "amount", "currency", "borne_by", "route")

# Audit finding grades, least to most serious; not_applicable needs a reason (DOMAIN.md §5).
GRADES: tuple[str, ...] = ("conforming", "observation", "minor", "major", "not_applicable")

PRINCIPLE_KINDS: tuple[str, ...] = ("overarching", "specific")
STANDARD_STATUSES: tuple[str, ...] = ("draft", "published")
ANSWER_TYPES: tuple[str, ...] = ("yes_no", "choice", "number", "worker_costs", "text")
YES_NO: tuple[str, ...] = ("yes", "no")
LANGUAGES: tuple[str, ...] = ("en", "fr")

# The worker survey (DOMAIN.md §8): how a worker answers a question (an amount is a number
# not below zero with its ISO 4217 currency), and the languages every survey has at least.
# The engine does not score survey answers: they are signals for the auditor to check.
SURVEY_ANSWER_TYPES: tuple[str, ...] = ("yes_no", "choice", "multi_choice", "amount")
SURVEY_REQUIRED_LANGUAGES: tuple[str, ...] = ("en", "fr")
