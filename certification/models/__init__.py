"""The certification app's records: the case, its decisions, certificates and event log
(`cases.py`, DESIGN.md §2), and what employers keep with the scheme (`employers.py`)."""

from certification.models.cases import (
    TERMINAL_STATES,
    AppendOnlyQuerySet,
    CaseKind,
    CaseState,
    Certificate,
    CertificateStatus,
    CertificationCase,
    Decision,
    DecisionOutcome,
    RenewalReminder,
    TransitionEvent,
    new_verification_code,
)
from certification.models.employers import (
    DeliveryState,
    StatusEvent,
    WatchedAgency,
    Webhook,
    WebhookDelivery,
)

__all__ = [
    "TERMINAL_STATES",
    "AppendOnlyQuerySet",
    "CaseKind",
    "CaseState",
    "Certificate",
    "CertificateStatus",
    "CertificationCase",
    "Decision",
    "DecisionOutcome",
    "DeliveryState",
    "RenewalReminder",
    "StatusEvent",
    "TransitionEvent",
    "WatchedAgency",
    "Webhook",
    "WebhookDelivery",
    "new_verification_code",
]
