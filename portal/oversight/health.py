"""Health of the department platforms: probe each base URL (HEAD, then GET when HEAD is refused),
with short timeouts and a bounded number of probes at once, and keep the history.

Most real platforms cannot be reached from a development machine (their hosts do not resolve):
those probes fail within milliseconds and say so; nothing is retried in a tight loop."""

import ipaddress
import socket
import ssl
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import requests
from flask import current_app
from sqlalchemy import delete, select

from portal.extensions import db
from portal.models import Platform, PlatformCheck, utcnow

CONNECT_TIMEOUT = 3.0
READ_TIMEOUT = 5.0
CONCURRENCY = 8
HISTORY_DAYS = 90
USER_AGENT = "yiwangtongban-portal-health/1.0 (+platform registry check)"


@dataclass
class Probe:
    ok: bool
    method: str | None = None
    status_code: int | None = None
    latency_ms: int | None = None
    error: str | None = None
    tls_expires_at: datetime | None = None


def _reason(error):
    text = str(error)
    if isinstance(error, requests.Timeout):
        return "超时"
    if isinstance(error, requests.exceptions.SSLError):
        return "TLS 证书错误"
    if "NameResolution" in text or "Name or service not known" in text or "getaddrinfo" in text:
        return "域名无法解析"
    if "Connection refused" in text or "ConnectionRefused" in text:
        return "连接被拒绝"
    if isinstance(error, requests.ConnectionError):
        return "无法连接"
    return "请求失败"


def tls_expiry(url, timeout=CONNECT_TIMEOUT, context=None):
    """When the HTTPS certificate of `url`'s host expires (naive UTC), or None when it cannot be read."""
    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.hostname:
        return None
    context = context or ssl.create_default_context()
    try:
        with socket.create_connection((parts.hostname, parts.port or 443), timeout=timeout) as sock, \
                context.wrap_socket(sock, server_hostname=parts.hostname) as tls:
            not_after = tls.getpeercert().get("notAfter")
    except (OSError, ssl.SSLError, ValueError):
        return None
    if not not_after:
        return None
    return datetime.fromtimestamp(ssl.cert_time_to_seconds(not_after), UTC).replace(tzinfo=None)


def probe(url, connect_timeout=CONNECT_TIMEOUT, read_timeout=READ_TIMEOUT, session=None):
    """One probe: HEAD; GET (headers only) when HEAD answers 4xx/5xx. Reachable = any answer below 500.
    Redirects are not followed: the platform answered."""
    http = session or requests
    started = time.monotonic()
    headers = {"User-Agent": USER_AGENT}
    timeouts = (connect_timeout, read_timeout)
    method = "HEAD"
    try:
        response = http.head(url, timeout=timeouts, allow_redirects=False, headers=headers)
        if response.status_code >= 400:
            method = "GET"
            response = http.get(url, timeout=timeouts, allow_redirects=False, headers=headers, stream=True)
            response.close()
    except requests.RequestException as error:
        return Probe(ok=False, method=method, latency_ms=round((time.monotonic() - started) * 1000),
                     error=_reason(error))
    latency = round((time.monotonic() - started) * 1000)
    ok = response.status_code < 500
    return Probe(ok=ok, method=method, status_code=response.status_code, latency_ms=latency,
                 error=None if ok else f"HTTP {response.status_code}",
                 tls_expires_at=tls_expiry(url, connect_timeout) if ok else None)


def is_loopback(url):
    host = (urlsplit(url or "").hostname or "").lower()
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def platforms_to_check(codes=None, loopback_only=None):
    """Platforms in use (not retired or merged); only those on this machine's loopback when
    PLATFORM_CHECK_LOOPBACK_ONLY is on (development and tests)."""
    if loopback_only is None:
        loopback_only = current_app.config.get("PLATFORM_CHECK_LOOPBACK_ONLY", False)
    query = select(Platform).where(Platform.merged_into_id.is_(None), Platform.status != "retired")
    if codes:
        query = query.where(Platform.code.in_(codes))
    platforms = list(db.session.scalars(query.order_by(Platform.id)))
    return [p for p in platforms if is_loopback(p.base_url)] if loopback_only else platforms


def check_all(codes=None, concurrency=None, connect_timeout=None, read_timeout=None, now=None, progress=None,
              loopback_only=None):
    """Probes the registry's platforms (not retired or merged) and stores the results; returns
    [(platform, Probe)]. Probes run `concurrency` at a time; the database is written from this thread."""
    config = current_app.config
    concurrency = concurrency or config.get("PLATFORM_CHECK_CONCURRENCY", CONCURRENCY)
    connect_timeout = connect_timeout or config.get("PLATFORM_CHECK_CONNECT_TIMEOUT", CONNECT_TIMEOUT)
    read_timeout = read_timeout or config.get("PLATFORM_CHECK_READ_TIMEOUT", READ_TIMEOUT)
    platforms = platforms_to_check(codes, loopback_only)
    targets = [(platform.id, platform.base_url) for platform in platforms]

    def run(target):
        with requests.Session() as session:
            return probe(target[1], connect_timeout, read_timeout, session)

    results = []
    with ThreadPoolExecutor(max_workers=max(1, concurrency)) as pool:
        for platform, result in zip(platforms, pool.map(run, targets), strict=True):
            results.append((platform, result))
            if progress:
                progress(1)
    record(results, now or utcnow())
    return results


def record(results, now):
    for platform, result in results:
        db.session.add(PlatformCheck(platform_id=platform.id, checked_at=now, ok=result.ok, method=result.method,
                                     status_code=result.status_code, latency_ms=result.latency_ms,
                                     error=result.error, tls_expires_at=result.tls_expires_at))
        platform.last_checked_at = now
        if result.ok:
            platform.last_ok_at = now
            platform.failed_checks = 0
        else:
            platform.failed_checks = (platform.failed_checks or 0) + 1
    db.session.execute(delete(PlatformCheck).where(PlatformCheck.checked_at < now - timedelta(days=HISTORY_DAYS)))
    db.session.commit()


def unreachable(platform, threshold=None):
    """True when the platform's last `threshold` checks (PLATFORM_DOWN_AFTER_FAILURES, default 2) all failed."""
    if platform is None:
        return False
    threshold = threshold or current_app.config.get("PLATFORM_DOWN_AFTER_FAILURES", 2)
    return (platform.failed_checks or 0) >= threshold


def recent_checks(platform, limit=20):
    return list(db.session.scalars(select(PlatformCheck).where(PlatformCheck.platform_id == platform.id)
                                   .order_by(PlatformCheck.checked_at.desc(), PlatformCheck.id.desc()).limit(limit)))
