"""Give a staff member their second factor: an authenticator-app key and recovery codes.

Editors (and superusers) cannot reach the admin without one (siteconf.admin). The key is
printed as an otpauth:// address (paste it into the app, or turn it into a QR code); each
recovery code works once. Running it again prints new recovery codes and keeps the key, unless
--reset is given (a lost phone): then the old key and codes stop working.
"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from siteconf.admin import give_second_factor


class Command(BaseCommand):
    help = "Set up two-factor sign-in for a user; print the authenticator key and recovery codes."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--reset", action="store_true", help="Replace a lost key.")

    def handle(self, *args, username, reset, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"没有用户 {username}。")
        url, codes = give_second_factor(user, reset=reset)
        self.stdout.write(second_factor_text(url, codes))


def second_factor_text(url, codes):
    return (
        f"Authenticator app key (otpauth URL): {url}\n"
        f"Recovery codes (each works once): {' '.join(codes)}"
    )
