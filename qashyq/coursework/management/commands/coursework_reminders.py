"""List the tutors whose grading is overdue, and e-mail them with --send."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from qashyq.coursework.services import grading_reminders


class Command(BaseCommand):
    help = (
        "List the tutors holding works handed over more than N days ago (QASHYQ_COURSEWORK_GRADING_DAYS, 7 by "
        "default) and not reviewed; with --send, e-mail each of them (at most once a day per work)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, default=None, help="Days since the hand-over (default: the setting).")
        parser.add_argument("--send", action="store_true", help="E-mail the tutors.")

    def handle(self, *args: Any, **options: Any) -> None:
        days = options["days"]
        if days is not None and days < 0:
            raise CommandError(_("--days must be 0 or more."))
        reminders = grading_reminders(days=days, send=options["send"])
        for reminder in reminders:
            line = ngettext(
                "%(name)s <%(email)s>: %(count)d work overdue (%(numbers)s)",
                "%(name)s <%(email)s>: %(count)d works overdue (%(numbers)s)",
                len(reminder.numbers),
            ) % {
                "name": reminder.name,
                "email": reminder.email or "—",
                "count": len(reminder.numbers),
                "numbers": ", ".join(reminder.numbers),
            }
            if reminder.sent:
                line += " " + _("— reminded by e-mail")
            self.stdout.write(line)
        self.stdout.write(
            ngettext("%(count)d tutor with overdue grading.", "%(count)d tutors with overdue grading.", len(reminders))
            % {"count": len(reminders)}
        )
