"""Checks that keep redirects on this site."""

from urllib.parse import urlsplit


def safe_local_path(target, fallback="/"):
    """A same-site relative path, or the fallback: no scheme, no host, no backslash tricks."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return fallback
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or any(ord(char) < 32 for char in target):
        return fallback
    return target
