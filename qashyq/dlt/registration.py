"""What this app registers with the apps below it when Django starts (DltConfig.ready)."""


def register() -> None:
    """Records' hooks for the DLT order kind (see services/orders.py) and documents' download checks for the
    attachments (see printing.py)."""
