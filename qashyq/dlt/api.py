"""What other apps (the portal's dashboards and reports) may use of DLT enrolment."""
