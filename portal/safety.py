"""Checks that keep redirects on this site, and the path a sign-in comes back to."""

from urllib.parse import urlsplit

from flask import request


def current_path():
    """This request's path with its query string: where a sign-in or language switch returns to."""
    return request.full_path if request.query_string else request.path


def safe_local_path(target, fallback="/"):
    """A same-site relative path, or the fallback: no scheme, no host, no backslash tricks."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return fallback
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or any(ord(char) < 32 for char in target):
        return fallback
    return target
