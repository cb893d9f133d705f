from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecordsConfig(AppConfig):
    name = "qashyq.records"
    label = "records"
    verbose_name = _("Student body")

    def ready(self) -> None:
        # Who may download the PDFs records issues: documents asks the owner of each target type.
        from qashyq.documents.api import register_access_check
        from qashyq.records import printing

        register_access_check(printing.TARGET_ORDER, printing.can_download_order_document)
        register_access_check(printing.TARGET_ITEM, printing.can_download_extract)
