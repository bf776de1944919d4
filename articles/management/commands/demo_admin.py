"""Create the local admin account that `make run` prints, so a new developer can log in.

The password comes from ADMIN_PASSWORD, or is generated and printed once. An existing
account keeps its password unless --reset is given: running `make run` again never locks
anyone out of an account they set up themselves.

The admin needs a second factor (siteconf.admin): the account gets an authenticator-app key and
recovery codes when it is made or reset, or when it has none yet, and they are printed too.
"""

import os
import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django_otp import user_has_device
from siteconf.admin import give_second_factor

from articles.management.commands.two_factor import second_factor_text


class Command(BaseCommand):
    help = "Create the admin account for local use and print how to log in."

    def add_arguments(self, parser):
        parser.add_argument("--username", default=os.environ.get("ADMIN_USERNAME", "admin"))
        parser.add_argument("--reset", action="store_true", help="Set a new password.")

    def handle(self, *args, username, reset, **options):
        User = get_user_model()
        user = User.objects.filter(username=username).first()
        if user and not reset and not os.environ.get("ADMIN_PASSWORD"):
            self.stdout.write(
                f"Admin account “{username}” already exists; its password is unchanged "
                "(python manage.py demo_admin --reset prints a new one)."
            )
            if not user_has_device(user):
                self.stdout.write(second_factor_text(*give_second_factor(user)))
            return
        password = os.environ.get("ADMIN_PASSWORD") or secrets.token_urlsafe(12)
        if user is None:
            user = User(username=username, email=f"{username}@example.com")
        user.is_staff = user.is_superuser = user.is_active = True
        user.set_password(password)
        user.save()
        self.stdout.write(
            self.style.SUCCESS(
                f"Admin: http://127.0.0.1:8000/admin/  user: {username}  password: {password}"
            )
        )
        self.stdout.write(second_factor_text(*give_second_factor(user, reset=reset)))
