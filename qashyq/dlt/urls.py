app_name = "dlt"

urlpatterns: list = []

# --- applications: the student's side and the review (views/applications.py) ---

# --- individual study plans and schedules, PDFs, the iCal feed (views/plans.py) ---

# --- DLT orders and their attachments (views/orders.py) ---

# --- the registry and its export (views/registry.py) ---
