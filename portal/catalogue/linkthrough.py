"""在线办理: where the start button leads (/go/<code>; each click is counted by portal/popularity.py)."""

from urllib.parse import urlsplit


def _origin(url):
    parts = urlsplit(url or "")
    return f"{parts.scheme}://{parts.netloc}".lower() if parts.scheme in ("http", "https") and parts.netloc else None


def on_platform(url, platform):
    """True only when `url` is on the registered platform's own scheme+host(+port), PC or mobile."""
    if not url or platform is None:
        return False
    allowed = {_origin(platform.base_url), _origin(platform.mobile_base_url),
               *map(_origin, platform.extra_origins or ())} - {None}  # extra: duplicates merged into it
    return _origin(url) in allowed


def handling_target(matter, channel="pc"):
    """The URL /go/ may redirect to, or None when the matter has none on a registered platform."""
    url = matter.mobile_handling_url if channel == "mobile" else matter.handling_url
    return url if on_platform(url, matter.platform) else None

