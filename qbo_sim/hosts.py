"""Intuit's hostnames (reference §5.1, §5.11; the attachment download host) and which
environment each one serves."""

from __future__ import annotations

SANDBOX_API = "sandbox-quickbooks.api.intuit.com"
PRODUCTION_API = "quickbooks.api.intuit.com"
#: OAuth 2.0 and discovery hosts (§5.11).
OAUTH_HOSTS = (
    "oauth.platform.intuit.com",
    "appcenter.intuit.com",
    "developer.intuit.com",
    "developer.api.intuit.com",
    "accounts.platform.intuit.com",
    "sandbox-accounts.platform.intuit.com",
)
API_HOSTS = (SANDBOX_API, PRODUCTION_API)
#: Where Attachable ``TempDownloadUri`` links point in-process: one of the S3 hosts QBO's
#: links use (``intuit-qbo-prod-23``, recorded 2020; docs/research/attachable.md §5). Only
#: this bucket's host is intercepted, never S3 at large.
DOWNLOAD_HOST = "intuit-qbo-prod-23.s3.amazonaws.com"
ALL_HOSTS = API_HOSTS + OAUTH_HOSTS + (DOWNLOAD_HOST,)


def api_environment(host: str) -> str | None:
    """``sandbox`` or ``production`` for Intuit's API hosts; None for any other host
    (a local server answers for both environments)."""
    name = host.split(":")[0].lower()
    if name == SANDBOX_API:
        return "sandbox"
    if name == PRODUCTION_API:
        return "production"
    return None
