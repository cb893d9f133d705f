from django.urls import path  # noqa: F401  (each area below adds its routes)

app_name = "content"

urlpatterns: list = []

# --- courses, sections, progress (views/courses.py) ---

# --- items: editing, publishing, viewing (views/items.py) ---

# --- stored files and case packages (views/files.py, views/delivery.py) ---

# --- SCORM (views/scorm.py) ---

# --- didactic catalogue and e-UMK (views/catalogue.py, views/eumk.py) ---

# --- TV broadcasts and the calendar (views/broadcasts.py) ---
