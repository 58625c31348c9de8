"""The certification app's records: the case, its decisions, certificates and event log
(`cases.py`, DESIGN.md §2), appeals of its decisions (`appeals.py`), the agency's certified
identity and history (`identity.py`), and what employers keep with the scheme (`employers.py`)."""

from certification.models.appeals import (
    APPEALABLE_DECISIONS,
    Appeal,
    AppealFile,
    AppealOutcome,
    AppealState,
)
from certification.models.cases import (
    TERMINAL_STATES,
    CaseKind,
    CaseState,
    Certificate,
    CertificateStatus,
    CertificationCase,
    Decision,
    DecisionOutcome,
    RenewalReminder,
    TransitionEvent,
    certificate_status,
    new_verification_code,
)
from certification.models.credentials import Credential, IssuerKey, StatusList
from certification.models.employers import (
    DeliveryState,
    StatusEvent,
    WatchedAgency,
    Webhook,
    WebhookDelivery,
)
from certification.models.identity import (
    IDENTITY_FIELDS,
    AgencyEvent,
    CertificateRevision,
    IdentityChange,
    IdentityChangeState,
)
from certification.models.objections import ApplicationObjection

__all__ = [
    "APPEALABLE_DECISIONS",
    "IDENTITY_FIELDS",
    "TERMINAL_STATES",
    "AgencyEvent",
    "Appeal",
    "AppealFile",
    "AppealOutcome",
    "AppealState",
    "ApplicationObjection",
    "CaseKind",
    "CaseState",
    "Certificate",
    "CertificateRevision",
    "CertificateStatus",
    "CertificationCase",
    "Credential",
    "Decision",
    "DecisionOutcome",
    "DeliveryState",
    "IdentityChange",
    "IdentityChangeState",
    "IssuerKey",
    "RenewalReminder",
    "StatusEvent",
    "StatusList",
    "TransitionEvent",
    "WatchedAgency",
    "Webhook",
    "WebhookDelivery",
    "certificate_status",
    "new_verification_code",
]
