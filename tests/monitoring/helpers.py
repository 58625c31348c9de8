"""Complaints made as a complainant makes them, and files a worker would join."""

from django.core.files.uploadedfile import SimpleUploadedFile

from monitoring import services

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
DESCRIPTION = "The agent took 900 dollars for the visa and kept my passport in Doha."
CONTACT = "ram.worker@example.org"


def pdf_upload(name="receipt.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def file_complaint(**overrides):
    """A complaint filed through the service; returns (complaint, follow-up code)."""
    values = {
        "agency": None,
        "agency_text": "Some agent in Kathmandu",
        "categories": ["fee_paid"],
        "description": DESCRIPTION,
        "contact": CONTACT,
    }
    values.update(overrides)
    return services.complaint_file(**values)
