"""What this app registers with the apps below it when Django starts (DltConfig.ready)."""


def register() -> None:
    """Records' hooks for the DLT order kind (see services/orders.py) and documents' download checks for the
    attachments (see printing.py)."""
    from django.urls import reverse

    from qashyq.dlt.printing import (
        can_download_application_document,
        can_download_plan_document,
        can_download_schedule_document,
    )
    from qashyq.dlt.services.orders import before_sign, on_apply, on_cancel, on_sign
    from qashyq.documents import api as documents_api
    from qashyq.records import api as records_api

    records_api.register_order_kind(
        records_api.OrderKind.DLT,
        records_api.OrderKindHooks(
            before_sign=before_sign,
            on_sign=on_sign,
            on_apply=on_apply,
            on_cancel=on_cancel,
            manage_url=lambda order_id: reverse("dlt:order-detail", args=[order_id]),
        ),
    )
    documents_api.register_access_check("dlt.application", can_download_application_document)
    documents_api.register_access_check("dlt.studyplan", can_download_plan_document)
    documents_api.register_access_check("dlt.schedule", can_download_schedule_document)
