"""REST API v1 of DLT enrolment (read only): applications, DLT orders, individual study plans and schedules.
Mounted under /api/v1/dlt/ by config/api_urls.py; every endpoint checks access like the pages do, and answers
404 for what is not yours as for what does not exist."""
