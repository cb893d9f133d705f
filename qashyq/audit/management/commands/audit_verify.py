from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from qashyq.audit import api as audit_api


class Command(BaseCommand):
    help = (
        "Walk the audit ledger's hash chain and report the first broken event, then run the consistency checks "
        "the apps registered (each app's rows against the ledger)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        result = audit_api.verify()
        n = result.events_checked
        failures: list[str] = []
        if result.first_break is not None:
            b = result.first_break
            failures.append(
                _("Audit ledger broken at event id=%(id)s (seq %(seq)s): %(problem)s.")
                % {"id": b.event_id, "seq": b.seq, "problem": b.problem}
                + " "
                + ngettext("The %(n)s event before it is intact.", "The %(n)s events before it are intact.", n)
                % {"n": n}
            )
        else:
            self.stdout.write(
                ngettext("Audit ledger intact: %(n)s event verified.", "Audit ledger intact: %(n)s events verified.", n)
                % {"n": n}
            )
        for name, problems in audit_api.checks_run():
            if not problems:
                self.stdout.write(_("Check “%(name)s”: no problems.") % {"name": name})
                continue
            failures.append(
                ngettext(
                    "Check “%(name)s” found %(count)s problem:",
                    "Check “%(name)s” found %(count)s problems:",
                    len(problems),
                )
                % {"name": name, "count": len(problems)}
                + "".join(f"\n- {problem}" for problem in problems)
            )
        if failures:
            raise CommandError("\n".join(failures))
