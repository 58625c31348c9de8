"""The parties of the scheme (`parties.py`: agencies, employers, certification bodies, their
people and roles), who and what stands behind an agency (`links.py`) and the secrets that stand for them (`credentials.py`)."""

from recruiters.models.applications import (
    OPEN_APPLICATION_STATES,
    Application,
    ApplicationEvent,
    ApplicationKind,
    ApplicationState,
)
from recruiters.models.credentials import EmployerAPIKey, PersonalToken
from recruiters.models.links import (
    AgencyDetail,
    DetailKind,
    LinkDecision,
    LinkReview,
    PersonKey,
    PersonRole,
    RelevantPerson,
)
from recruiters.models.parties import (
    Agency,
    CertificationBody,
    ConflictKind,
    ConflictOfInterest,
    Corridor,
    Employer,
    Membership,
    Role,
    Sector,
    SectorCode,
    SizeBand,
    name_key,
)
from recruiters.models.people import Invitation, MembershipEvent, Preferences

__all__ = [
    "OPEN_APPLICATION_STATES",
    "Agency",
    "AgencyDetail",
    "Application",
    "ApplicationEvent",
    "ApplicationKind",
    "ApplicationState",
    "CertificationBody",
    "ConflictKind",
    "ConflictOfInterest",
    "Corridor",
    "DetailKind",
    "Employer",
    "EmployerAPIKey",
    "Invitation",
    "LinkDecision",
    "LinkReview",
    "Membership",
    "MembershipEvent",
    "PersonKey",
    "PersonRole",
    "PersonalToken",
    "Preferences",
    "RelevantPerson",
    "Role",
    "Sector",
    "SectorCode",
    "SizeBand",
    "name_key",
]
