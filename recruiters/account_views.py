"""A person's own pages: signing in with a second factor, setting it up, and the language
of their notices. The rules are in recruiters/two_factor.py and
recruiters/organisation/services.py."""

import time

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import get_user_model, login, logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils import translation
from django.utils.crypto import constant_time_compare
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login

from recruiters import two_factor
from recruiters.models import Preferences
from recruiters.organisation.services import language_set
from recruiters.roles import roles_of
from recruiters.time_zones import remember as remember_time_zone
from recruiters.time_zones import time_zones

PENDING = "fairrecruit_two_factor_pending"
CONFIRM_TRIES = "fairrecruit_two_factor_tries"
PENDING_SECONDS = 300  # the code is asked within five minutes of the password


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=32,
        help_text=_("The six digits your authenticator app shows, or one of your recovery codes."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class LanguageForm(forms.Form):
    language = forms.ChoiceField(
        label=_("Language of your e-mails and pages"), choices=settings.LANGUAGES
    )
    time_zone = forms.ChoiceField(
        label=_("Time zone of the times you read"),
        required=False,
        help_text=_("Empty: the scheme's time, UTC."),
    )
    status_alerts = forms.BooleanField(
        label=_("E-mail me when an agency my organisation watches changes status"),
        required=False,
    )

    def __init__(self, *args, employer_member: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].choices = [
            ("", _("UTC (the scheme's time)")),
            *((name, name.replace("_", " ")) for name in sorted(time_zones())),
        ]
        if not employer_member:  # only employers watch agencies
            del self.fields["status_alerts"]


def _safe_next(request, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


class SignInView(LoginView):
    """The password first; who has an authenticator gives its code on the next page."""

    redirect_authenticated_user = True

    def form_valid(self, form):
        user = form.get_user()
        self.request.session.pop(PENDING, None)  # a sign-in begun earlier in this browser
        if not two_factor.has_two_factor(user):
            response = super().form_valid(form)
            _apply_language(self.request, response, user)
            return response
        self.request.session[PENDING] = {
            "user": user.pk,
            "backend": user.backend,
            "at": time.time(),
            "tries": 0,
            # A password changed meanwhile ends the half-done sign-in.
            "hash": user.get_session_auth_hash(),
        }
        target = reverse("login-code")
        next_url = self.get_redirect_url()
        return redirect(f"{target}?{urlencode({'next': next_url})}" if next_url else target)


def _pending_user(request):
    pending = request.session.get(PENDING)
    if not pending or time.time() - pending.get("at", 0) > PENDING_SECONDS:
        request.session.pop(PENDING, None)
        return None, None
    user = get_user_model().objects.filter(pk=pending["user"], is_active=True).first()
    if user is None or not constant_time_compare(
        pending.get("hash", ""), user.get_session_auth_hash()
    ):
        request.session.pop(PENDING, None)
        return None, None
    return user, pending


@require_http_methods(["GET", "POST"])
def sign_in_code(request):
    """The second step of signing in. Wrong codes are counted as failed sign-ins (axes),
    each device waits longer after each, and after TWO_FACTOR_MAX_TRIES the password is
    asked again."""
    user, pending = _pending_user(request)
    if user is None:
        messages.info(request, gettext("Sign in with your password first."))
        return redirect("login")
    form = CodeForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST" and form.is_valid():
        device = two_factor.verify(user, form.cleaned_data["code"])
        if device is not None:
            del request.session[PENDING]
            user.otp_device = device  # django-otp keeps it in the session at login
            login(request, user, backend=pending["backend"])
            response = redirect(_safe_next(request, resolve_url(settings.LOGIN_REDIRECT_URL)))
            _apply_language(request, response, user)
            return response
        two_factor.count_failure(request, user)
        pending["tries"] += 1
        if pending["tries"] >= settings.TWO_FACTOR_MAX_TRIES:
            del request.session[PENDING]
            messages.error(request, gettext("Too many wrong codes: sign in again."))
            return redirect("login")
        request.session[PENDING] = pending
        form.add_error(
            "code", gettext("Wrong or expired code. Wait for the next one and try again.")
        )
    if request.method == "POST":
        status = 400
    return render(
        request,
        "recruiters/sign_in_code.html",
        {"form": form, "next": _safe_next(request, "")},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def two_factor_page(request):
    """Set up an authenticator (with recovery codes shown once), confirm this session with
    a code, renew the recovery codes, or turn two factors off where it is optional."""
    user = request.user
    context = {
        "required": two_factor.requires_two_factor(user),
        "next": _safe_next(request, ""),
    }
    form = CodeForm(request.POST if request.method == "POST" else None)
    action = request.POST.get("action", "")
    status = 200
    if not two_factor.has_two_factor(user):
        device = two_factor.enrolment_device(user)
        if request.method == "POST" and form.is_valid():
            codes = two_factor.enrol_confirm(user, device, form.cleaned_data["code"])
            if codes is not None:
                device.refresh_from_db()
                request.session.cycle_key()
                otp_login(request, device)
                return _codes_page(request, codes, context)
            two_factor.count_failure(request, user)
            form.add_error("code", gettext("Wrong code. Check your device's clock and try again."))
        if request.method == "POST":
            status = 400
        context.update(
            state="enrol",
            form=form,
            qr=two_factor.qr_svg(device),
            secret=two_factor.secret_words(device),
        )
    elif not user.is_verified():
        if request.method == "POST" and form.is_valid():
            device = two_factor.verify(user, form.cleaned_data["code"])
            if device is not None:
                request.session.pop(CONFIRM_TRIES, None)
                request.session.cycle_key()  # a new session for the higher trust
                otp_login(request, device)
                return redirect(_safe_next(request, resolve_url(settings.LOGIN_REDIRECT_URL)))
            two_factor.count_failure(request, user)
            tries = request.session.get(CONFIRM_TRIES, 0) + 1
            if tries >= settings.TWO_FACTOR_MAX_TRIES:
                logout(request)  # a password alone opened this session: it ends here
                messages.error(request, gettext("Too many wrong codes: sign in again."))
                return redirect("login")
            request.session[CONFIRM_TRIES] = tries
            form.add_error("code", gettext("Wrong or expired code. Try again."))
        if request.method == "POST":
            status = 400
        context.update(state="confirm", form=form)
    else:
        if action == "renew":
            return _codes_page(request, two_factor.recovery_codes_renew(user), context)
        if action == "remove":
            if two_factor.two_factor_remove(user):
                messages.success(request, gettext("Two-factor sign-in is off."))
            else:
                messages.error(request, gettext("Your role needs two-factor sign-in."))
            return redirect("two-factor")
        context.update(state="on", codes_left=two_factor.recovery_codes_left(user))
    response = render(request, "recruiters/two_factor.html", context, status=status)
    response["Cache-Control"] = "no-store"  # the key is on the enrolment page
    return response


def _codes_page(request, codes, context):
    response = render(
        request, "recruiters/two_factor.html", {**context, "state": "codes", "codes": codes}
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def account_settings(request):
    """The person's language (their e-mails and, from now on, these pages) and, for an
    employer's members, the e-mail alerts of watched agencies."""
    preferences = Preferences.objects.filter(user=request.user).first()
    employer_member = roles_of(request).employer is not None
    form = LanguageForm(
        request.POST or None,
        employer_member=employer_member,
        initial={
            "language": (preferences.language if preferences else "") or translation.get_language(),
            "status_alerts": preferences.status_alerts if preferences else True,
            "time_zone": preferences.time_zone if preferences else "",
        },
    )
    if request.method == "POST":
        if form.is_valid():
            language_set(
                user=request.user,
                language=form.cleaned_data["language"],
                status_alerts=form.cleaned_data.get("status_alerts"),
                time_zone=form.cleaned_data.get("time_zone") or "",
            )
            translation.activate(form.cleaned_data["language"])
            messages.success(request, gettext("Your choices are saved."))
            response = redirect("account-settings")
            _apply_language(request, response, request.user)
            return response
        return render(request, "recruiters/account_settings.html", {"form": form}, status=400)
    return render(
        request,
        "recruiters/account_settings.html",
        {"form": form, "two_factor_on": two_factor.has_two_factor(request.user)},
    )


def _apply_language(request, response, user) -> None:
    """The pages follow the person's chosen language and time zone from their sign-in on."""
    language, zone = Preferences.objects.filter(user=user).values_list(
        "language", "time_zone"
    ).first() or ("", "")
    remember_time_zone(request, zone)
    if language:
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )


class AdminSignInView(SignInView):
    """The admin's sign-in page, in the admin's look, with the site's steps: the password,
    then the code's page for whoever has an authenticator (the admin's own view would skip
    it). Staff only, as the admin's form says."""

    template_name = "admin/login.html"
    authentication_form = AdminAuthenticationForm
    # A signed-in person who is not staff is sent here by the admin: the form again (it
    # says they may not), never back to the admin, which would send them here forever.
    redirect_authenticated_user = False

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            admin.site.each_context(self.request),
            title=gettext("Log in"),
            app_path=self.request.get_full_path(),
        )
        return context
