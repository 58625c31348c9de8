"""The certification case state machine, decisions and certificates (DESIGN.md §2).

Empty until the workflow issue fills it.
"""
