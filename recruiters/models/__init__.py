"""The parties of the scheme (`parties.py`: agencies, employers, certification bodies, their
people and roles) and the secrets that stand for them (`credentials.py`)."""

from recruiters.models.credentials import EmployerAPIKey, PersonalToken
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

__all__ = [
    "Agency",
    "CertificationBody",
    "ConflictKind",
    "ConflictOfInterest",
    "Corridor",
    "Employer",
    "EmployerAPIKey",
    "Membership",
    "PersonalToken",
    "Role",
    "Sector",
    "SectorCode",
    "SizeBand",
    "name_key",
]
