"""The REST API of the certification app: the workflow for agencies, auditors and reviewers
(`cases`, with its `audits` and `documents`), and the employer-facing status API
(`employers`, `supplier_checks`, `watchlists` with the webhooks)."""
