"""The employer's forms: an agency to watch, a list of suppliers to check, a webhook."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from certification import supplier_lists
from certification.selectors.watching import agencies_named
from certification.status import supplier_check
from recruiters.models import Agency


class WatchForm(forms.Form):
    supplier = forms.CharField(
        label=_("Agency"),
        max_length=140,
        help_text=_(
            "Its name or part of it, its country code and registration number "
            "(e.g. NP 1234/075), or its public id."
        ),
    )

    suggestions: list = []

    def clean_supplier(self):
        """An id or a country and number first; else the name: one agency so named is
        watched, several are offered to choose from."""
        text = self.cleaned_data["supplier"]
        agency = None
        try:
            (supplier,) = supplier_lists.parse_text(text)
        except (supplier_lists.SupplierListError, ValueError):
            pass
        else:
            (result,) = supplier_check([supplier])
            if result["agency"] is not None:
                agency = Agency.objects.get(public_id=result["agency"]["id"])
        if agency is not None:
            return agency
        named = agencies_named(text)
        if len(named) == 1:
            return named[0]
        if named:
            self.suggestions = named
            raise ValidationError(
                _("Several agencies have a name like this one: choose below, or type more.")
            )
        raise ValidationError(_("No agency is registered with this name or identifier."))


class SupplierCheckForm(forms.Form):
    suppliers = forms.CharField(
        label=_("Suppliers, one a line"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "An agency id, or a country code and a registration number separated by a comma."
        ),
    )
    file = forms.FileField(
        label=_("Or a file (.csv or .xlsx)"),
        required=False,
        help_text=_("Columns: id, or country and registration_number; a header row is allowed."),
    )

    def clean(self):
        data = super().clean()
        upload, text = data.get("file"), (data.get("suppliers") or "").strip()
        try:
            # Lenient: a malformed line gets its own result; the others are checked.
            if upload:
                data["parsed"] = supplier_lists.parse_file(upload.name, upload.read(), lenient=True)
            elif text:
                data["parsed"] = supplier_lists.parse_text(text, lenient=True)
            else:
                self.add_error("suppliers", _("Paste a list or choose a file."))
        except supplier_lists.SupplierListError as error:
            for message in error.errors:
                self.add_error("file" if upload else "suppliers", message)
        return data


class WebhookForm(forms.Form):
    url = forms.URLField(
        label=_("Address (HTTPS)"),
        max_length=500,
        assume_scheme="https",
        help_text=_("Status changes of the agencies you watch are sent here, signed."),
    )
    secret = forms.CharField(
        label=_("Signing secret (optional)"),
        required=False,
        min_length=32,
        max_length=128,
        help_text=_("Leave empty to have one made; it is shown once."),
    )
