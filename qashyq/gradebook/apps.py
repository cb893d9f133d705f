from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GradebookConfig(AppConfig):
    name = "qashyq.gradebook"
    label = "gradebook"
    verbose_name = _("Gradebook")

    def ready(self) -> None:
        from qashyq.audit import api as audit_api
        from qashyq.gradebook import checks

        # `manage.py audit_verify` proves that every grade equals the `after` of its last audit event.
        audit_api.register_check("gradebook.grades", checks.grades_match_ledger)

        from qashyq.documents import api as documents_api
        from qashyq.gradebook import printing

        # Who downloads the issued grade sheets and transcripts (documents' private download).
        documents_api.register_access_check(printing.TARGET_GRADE_SHEET, printing.can_download_grade_sheet)
        documents_api.register_access_check(printing.TARGET_TRANSCRIPT, printing.can_download_transcript)
