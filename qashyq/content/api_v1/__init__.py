"""REST API v1 of learning content (read only): courses, their items, progress. Mounted under
/api/v1/content/ by config/api_urls.py; every endpoint checks access like the pages do."""
