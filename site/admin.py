"""The admin site, signed in to with a password and a second factor.

django-otp with TOTP (an authenticator app's six digits) rather than WebAuthn: it needs no
browser JavaScript (the site's CSP allows none inline, and the admin has none of ours), no HTTPS
origin to bind keys to for local work, and works with any phone app editors already use; its
static tokens serve as printed recovery codes. Whoever may publish under the site's name
(articles.publish_article: Editors and superusers) must be verified by one of them; Authors may
add one too. `manage.py two_factor USERNAME` gives a person their device and recovery codes.
"""

from django import forms
from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django_otp import match_token, user_has_device

PUBLISH = "articles.publish_article"


def needs_second_factor(user):
    return user.has_perm(PUBLISH)


class TwoFactorLoginForm(AdminAuthenticationForm):
    otp_token = forms.CharField(
        label="验证码",
        required=False,
        max_length=32,
        help_text="身份验证器 App 上的 6 位数字，或一个恢复码。",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def clean(self):
        cleaned = super().clean()  # the password first (django-axes counts the failures)
        user = self.get_user()
        token = "".join(cleaned.get("otp_token", "").split())
        if user_has_device(user):
            device = match_token(user, token) if token else None
            if device is None:
                raise forms.ValidationError(
                    "请输入身份验证器上当前的验证码或一个未用过的恢复码。", code="otp_invalid"
                )
            user.otp_device = device  # django_otp marks the session verified at login
        elif needs_second_factor(user):
            raise forms.ValidationError(
                "编辑必须用两步验证登录，而这个账号还没有设置。"
                "请管理员运行 manage.py two_factor 用户名 为您设置。",
                code="otp_missing",
            )
        return cleaned


class SiteAdmin(admin.AdminSite):
    login_form = TwoFactorLoginForm
    login_template = "admin/login_2fa.html"

    def index(self, request, extra_context=None):
        """The index tells editors how many articles wait for review, and links to them."""
        from articles.admin.review import queue_url
        from articles.editorial.review import queue

        extra_context = extra_context or {}
        if request.user.has_perm(PUBLISH):
            extra_context.update(review_count=queue().count(), review_queue_url=queue_url())
        return super().index(request, extra_context)

    def has_permission(self, request):
        user = request.user
        return super().has_permission(request) and (
            user.is_verified() or not (needs_second_factor(user) or user_has_device(user))
        )


RECOVERY_CODES = 8


def give_second_factor(user, reset=False):
    """A confirmed TOTP device and fresh recovery codes for user: (otpauth URL, codes).

    With reset, the old device and codes stop working."""
    from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
    from django_otp.plugins.otp_totp.models import TOTPDevice

    if reset:
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="身份验证器", confirmed=True)
    codes_device, _ = StaticDevice.objects.get_or_create(user=user, name="恢复码")
    codes_device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    codes_device.token_set.bulk_create(
        StaticToken(device=codes_device, token=code) for code in codes
    )
    return device.config_url, codes
