"""An organisation's colleagues: the members page (its administrators invite, change roles,
deactivate) and the page an invitation's link opens. The rules are in
recruiters/organisation/services.py."""

from django import forms
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from recruiters.identifiers import id_or_404
from recruiters.models import Agency, Invitation, Membership
from recruiters.organisation import services
from recruiters.organisation.keys import invitation_by_key
from recruiters.roles import roles_of

ROLE_CHOICES = [("member", _("Member")), ("administrator", _("Administrator"))]


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("Colleague's e-mail"), max_length=services.EMAIL_MAX)
    role = forms.ChoiceField(
        label=_("Role"),
        choices=ROLE_CHOICES,
        initial="member",
        widget=forms.RadioSelect,
        help_text=_(
            "Administrators invite colleagues and manage members (and, for an "
            "employer, its API keys and webhooks)."
        ),
    )


class NewAccountForm(forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=150)
    password = forms.CharField(
        label=_("Password"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    password_again = forms.CharField(
        label=_("Password again"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        data = super().clean()
        if data.get("password") and data.get("password") != data.get("password_again"):
            self.add_error("password_again", gettext("The two passwords differ."))
        return data


def _organisation(request):
    """The agency (the one named by ?agency= when the person is in several) or the
    employer whose colleagues the page shows."""
    roles = roles_of(request)
    wanted = request.GET.get("agency") or request.POST.get("agency")
    if wanted:
        for agency in roles.agencies:
            if str(agency.public_id) == wanted:
                return agency
        raise Http404
    if roles.agencies:
        return roles.agencies[0]
    if roles.employer is not None:
        return roles.employer
    raise Http404


def _back(organisation):
    url = reverse("members")
    if isinstance(organisation, Agency):
        url += "?" + urlencode({"agency": str(organisation.public_id)})
    return redirect(url)


@login_required
@require_http_methods(["GET", "POST"])
def members(request):
    organisation = _organisation(request)
    administrator = services.is_administrator(request.user, organisation)
    form = InviteForm(request.POST if request.POST.get("action") == "invite" else None)
    status = 200
    if request.method == "POST":
        if not administrator:
            raise PermissionDenied
        try:
            done = _act(request, organisation, form)
        except ValidationError as error:
            status = 400
            for field, problems in error.message_dict.items():
                if field in form.fields:
                    form.add_error(field, problems)
                else:
                    for problem in problems:
                        messages.error(request, problem)
            if status == 400 and not form.errors:
                return _back(organisation)
        else:
            if done:
                messages.success(request, done)
                return _back(organisation)
            status = 400
    context = {
        "organisation": organisation,
        "is_agency": isinstance(organisation, Agency),
        "administrator": administrator,
        "members": services.members(organisation),
        "invitations": services.open_invitations(organisation) if administrator else [],
        "form": form,
        "agencies": roles_of(request).agencies,
    }
    return render(request, "recruiters/members.html", context, status=status)


def _act(request, organisation, form) -> str:
    """One administrator's action; the message to show, or empty when the form is wrong."""
    action = request.POST.get("action")
    if action == "invite":
        if not form.is_valid():
            return ""
        invitation = services.invitation_send(
            actor=request.user,
            organisation=organisation,
            email=form.cleaned_data["email"],
            as_administrator=form.cleaned_data["role"] == "administrator",
        )
        return gettext("An invitation is on its way to %(email)s.") % {"email": invitation.email}
    if action == "withdraw":
        invitation = _one(Invitation, request.POST.get("invitation"), organisation)
        services.invitation_revoke(actor=request.user, invitation=invitation)
        return gettext("The invitation is withdrawn.")
    membership = _one(Membership, request.POST.get("membership"), organisation)
    changes = {
        "make_administrator": {"administrator": True},
        "make_member": {"administrator": False},
        "deactivate": {"active": False},
        "reactivate": {"active": True},
    }
    if action not in changes:
        raise Http404
    services.member_change(actor=request.user, membership=membership, **changes[action])
    return gettext("%(person)s is updated.") % {"person": membership.user.email}


def _one(model, pk, organisation):
    field = "agency" if isinstance(organisation, Agency) else "employer"
    row = model.objects.filter(pk=id_or_404(pk or ""), **{field: organisation}).first()
    if row is None:
        raise Http404
    return row


@require_http_methods(["GET", "POST"])
def invitation(request):
    """Where the invitation's e-mail leads: the invited person joins with the account of
    that e-mail (signed in) or makes one here."""
    key = request.GET.get("key") or request.POST.get("key") or ""
    found = invitation_by_key(key)
    problem = services.invitation_problem(found)
    context = {"key": key, "invitation": found, "problem": problem}
    if problem:
        return render(request, "recruiters/invitation.html", context, status=410 if found else 404)
    account = services.account_of(found.email)
    signed_in = request.user.is_authenticated
    form = None
    if account is None and not signed_in:
        form = NewAccountForm(request.POST if request.method == "POST" else None)
    context.update(account=account, form=form)
    if request.method == "POST":
        if form is not None and not form.is_valid():
            return render(request, "recruiters/invitation.html", context, status=400)
        try:
            membership = services.invitation_accept(
                key,
                user=request.user,
                name=form.cleaned_data["name"] if form else "",
                password=form.cleaned_data["password"] if form else "",
            )
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                if form is not None and field in form.fields:
                    form.add_error(field, problems)
                else:
                    context["problem"] = " ".join(problems)
            return render(request, "recruiters/invitation.html", context, status=400)
        if not signed_in:
            login(request, membership.user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(
            request,
            gettext("Welcome to %(organisation)s.")
            % {"organisation": membership.organisation.name},
        )
        return redirect("web:dashboard")
    return render(request, "recruiters/invitation.html", context)
