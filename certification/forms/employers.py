"""The employer's forms: an agency to watch, a list of suppliers to check, a webhook."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from certification import supplier_lists
from certification.status import supplier_check
from recruiters.models import Agency


class WatchForm(forms.Form):
    supplier = forms.CharField(
        label=_("Agency"),
        max_length=140,
        help_text=_(
            "Its public id, or its country code and registration number (e.g. NP 1234/075)."
        ),
    )

    def clean_supplier(self):
        try:
            (supplier,) = supplier_lists.parse_text(self.cleaned_data["supplier"])
        except (supplier_lists.SupplierListError, ValueError):
            raise ValidationError(
                _("Give one agency id, or a country code and a number.")
            ) from None
        (result,) = supplier_check([supplier])
        if result["agency"] is None:
            raise ValidationError(_("No agency is registered with this identifier."))
        return Agency.objects.get(public_id=result["agency"]["id"])


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
            if upload:
                data["parsed"] = supplier_lists.parse_file(upload.name, upload.read())
            elif text:
                data["parsed"] = supplier_lists.parse_text(text)
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
