"""The REST API of the certification app: the workflow for agencies, auditors and reviewers
(`cases`), and the employer-facing status API (`employers`, `webhooks`)."""
