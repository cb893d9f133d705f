"""Sign in to a running Qashyq as a demo account with a plain HTTP client; exit 1 if it fails.

Usage: python scripts/smoke_sign_in.py http://127.0.0.1:8000 student01
"""

import http.cookiejar
import re
import sys
import urllib.parse
import urllib.request

DEMO_PASSWORD = "Qashyq-demo-2026"  # noqa: S105


def main(base: str, username: str) -> int:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{base}/accounts/login/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if not token:
        print("no CSRF token on the sign-in page", file=sys.stderr)
        return 1
    data = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token.group(1), "login": username, "password": DEMO_PASSWORD}
    ).encode()
    request = urllib.request.Request(
        f"{base}/accounts/login/", data=data, headers={"Referer": f"{base}/accounts/login/"}
    )
    response = opener.open(request)
    landed = urllib.parse.urlparse(response.geturl()).path
    if not landed.startswith("/dashboard/"):
        print(f"sign-in as {username} landed on {landed}, not a dashboard", file=sys.stderr)
        return 1
    print(f"signed in as {username}: {landed} ({response.status})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1].rstrip("/"), sys.argv[2]))
