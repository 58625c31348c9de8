"""Certificates as verifiable credentials (DOMAIN.md §9). `core` is plain Python with no
Django import: what a verifier needs, with files only."""
