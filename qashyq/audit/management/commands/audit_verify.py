from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from qashyq.audit import api as audit_api


class Command(BaseCommand):
    help = "Walk the audit ledger's hash chain and report the first broken event."

    def handle(self, *args: Any, **options: Any) -> None:
        result = audit_api.verify()
        n = result.events_checked
        if result.first_break is not None:
            b = result.first_break
            raise CommandError(
                _("Audit ledger broken at event id=%(id)s (seq %(seq)s): %(problem)s.")
                % {"id": b.event_id, "seq": b.seq, "problem": b.problem}
                + " "
                + ngettext("The %(n)s event before it is intact.", "The %(n)s events before it are intact.", n)
                % {"n": n}
            )
        self.stdout.write(
            ngettext("Audit ledger intact: %(n)s event verified.", "Audit ledger intact: %(n)s events verified.", n)
            % {"n": n}
        )
