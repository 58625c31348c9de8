"""Two-factor sign-in with django-otp: a code from an authenticator app (TOTP), or one of
ten recovery codes, each used once. Required of reviewers, auditors and staff
(TWO_FACTOR_REQUIRED), optional for everyone else.

On the web the password comes first (the usual sign-in page, throttled by django-axes);
who has an authenticator is then asked for a code on a second page (views in
recruiters/account_views.py). The API's token endpoint takes the code with the password.
"""

import base64
from io import BytesIO

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.db import transaction
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from recruiters.models import Membership, Role
from recruiters.roles import roles_of

RECOVERY_CODES = 10
APP_DEVICE_NAME = "Authenticator app"
RECOVERY_DEVICE_NAME = "Recovery codes"


def requires_two_factor(user, request=None) -> bool:
    """Reviewers, auditors and staff sign in with two factors (when the setting is on).
    With the request, its roles are read once for the whole request (recruiters/roles.py)."""
    if not settings.TWO_FACTOR_REQUIRED or not user.is_authenticated:
        return False
    if user.is_staff or user.is_superuser:
        return True
    if request is not None:
        roles = roles_of(request)
        return roles.is_reviewer or roles.is_auditor
    return Membership.objects.filter(
        user=user, is_active=True, role__in=[Role.REVIEWER, Role.AUDITOR]
    ).exists()


def has_two_factor(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def verify(user, code: str):
    """The device that accepts the code (the app's, or a recovery code, which is used up),
    or None. Each device waits longer after each wrong code (django-otp's throttling); a
    code goes only to the device of its shape, so that a recovery code does not count as a
    wrong app code."""
    code = "".join((code or "").split()).lower()
    if not code or len(code) > 16:
        return None
    model = TOTPDevice if code.isdigit() else StaticDevice
    with transaction.atomic():
        for device in model.objects.devices_for_user(user, confirmed=True).select_for_update():
            if device.verify_token(code):
                return device
    return None


def count_failure(request, user) -> None:
    """A wrong code counts as a failed sign-in of that username (django-axes locks it out
    as it does for wrong passwords)."""
    user_login_failed.send(
        sender=__name__, credentials={"username": user.get_username()}, request=request
    )


def enrolment_device(user) -> TOTPDevice:
    """The authenticator being set up (not confirmed yet), made on first need."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-id").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)
    return device


def secret_words(device: TOTPDevice) -> str:
    """The key as an app asks for it when typed in: base32, in groups of four."""
    text = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def qr_svg(device: TOTPDevice) -> str:
    """The otpauth:// address as an SVG QR code, drawn here (no image leaves the page)."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage)
    buffer = BytesIO()
    image.save(buffer)
    return buffer.getvalue().decode()


def enrol_confirm(user, device: TOTPDevice, code: str) -> list[str] | None:
    """The first right code confirms the authenticator: the recovery codes (shown once)
    are made; any earlier authenticator is replaced. None when the code is wrong."""
    code = "".join((code or "").split())
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=user)
        if device.confirmed or not device.verify_token(code):
            return None
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        return recovery_codes_renew(user)


def recovery_codes_renew(user) -> list[str]:
    """Ten new recovery codes; the old ones stop working."""
    with transaction.atomic():
        StaticDevice.objects.filter(user=user).delete()
        device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME)
        codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
        StaticToken.objects.bulk_create(StaticToken(device=device, token=c) for c in codes)
    return codes


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def two_factor_remove(user) -> bool:
    """Turns two-factor sign-in off; refused (False) for whom it is required."""
    if requires_two_factor(user):
        return False
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
    return True


# Pages a person who must use two factors may open before doing so.
_OPEN_PATHS = ("/accounts/", "/i18n/", "/static/", "/healthz", "/jsi18n/")


class TwoFactorRequiredMiddleware:
    """Whoever must use two factors and signed in without one (a session from before the
    rule, or a new reviewer) is sent to set it up: nothing else opens until then. API
    requests with a token carry no session and are checked at the token endpoint."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and not request.path.startswith(_OPEN_PATHS)
            and not user.is_verified()
            and requires_two_factor(user, request)
        ):
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {
                        "type": "client_error",
                        "errors": [
                            {
                                "code": "two_factor_required",
                                "detail": gettext(
                                    "Sign in with your second factor first (/accounts/two-factor/)."
                                ),
                                "attr": None,
                            }
                        ],
                    },
                    status=403,
                )
            target = reverse("two-factor")
            return redirect(f"{target}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)
