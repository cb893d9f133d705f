from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandParser

from qashyq.demo.services import demo_seed, demo_sign_ins
from qashyq.organization.api import institution_get


class Command(BaseCommand):
    help = "Create the demo institution (idempotent) and print one sign-in per role."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Seed only when there are no accounts or no institution profile yet.",
        )
        parser.add_argument("--quiet", action="store_true", help="Do not print the sign-ins.")
        parser.add_argument("--url", default="http://127.0.0.1:8000", help="Where the site is served.")

    def handle(self, *args: Any, if_empty: bool, quiet: bool, url: str, **options: Any) -> None:
        seeded = get_user_model().objects.exists() and institution_get() is not None
        if not (if_empty and seeded):
            made = demo_seed()
            self.stdout.write(f"Demo institution: {made} accounts created.")
        if quiet:
            return
        self.stdout.write(f"\nDemo sign-ins ({url.rstrip('/')}/accounts/login/):")
        for s in demo_sign_ins():
            line = f"  {s.role.value:<15} {s.username:<12} password {s.password}"
            if s.totp_secret:
                line += f"  TOTP secret {s.totp_secret} (code: make totp USER={s.username})"
                if s.recovery_code:
                    line += f"  or recovery code {s.recovery_code}"
            self.stdout.write(line)
