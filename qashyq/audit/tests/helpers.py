from django.db import connection

# Queries that count the ledger's lock: PostgreSQL takes an advisory lock (one query), SQLite's IMMEDIATE
# transactions need none.
LEDGER_LOCK = int(connection.vendor == "postgresql")
