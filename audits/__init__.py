"""Self-assessments, audits, findings, evidence and corrective actions (DESIGN.md §3).

Empty until the workflow issue fills it.
"""
