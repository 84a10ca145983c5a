"""The platform checker against local HTTP servers that answer, refuse HEAD, fail, time out and
refuse connections; the history it keeps; what the guide page then tells a citizen."""

import datetime as dt
import socket
import ssl
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import Platform, PlatformCheck
from portal.oversight import health

pytestmark = pytest.mark.integration


class _Handler(BaseHTTPRequestHandler):
    mode = "ok"

    def log_message(self, *args):
        pass

    def _answer(self, status):
        self.send_response(status)
        self.send_header("Content-Length", "2")
        self.end_headers()
        if self.command == "GET":
            self.wfile.write(b"ok")

    def do_HEAD(self):  # noqa: N802 - http.server's names
        if self.mode == "no-head":
            return self._answer(405)
        if self.mode == "broken":
            return self._answer(503)
        return self._answer(200)

    def do_GET(self):  # noqa: N802
        return self._answer(503 if self.mode == "broken" else 200)


def _serve(mode):
    handler = type(f"Handler_{mode}", (_Handler,), {"mode": mode})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture
def servers():
    """{mode: base URL} of live local servers, plus one that accepts and never answers and one
    port nothing listens on."""
    running = {mode: _serve(mode) for mode in ("ok", "no-head", "broken")}
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(8)  # accepts connections (the kernel does) and never answers
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    closed_port = closed.getsockname()[1]
    closed.close()
    urls = {mode: f"http://127.0.0.1:{server.server_port}" for mode, server in running.items()}
    urls["silent"] = f"http://127.0.0.1:{silent.getsockname()[1]}"
    urls["refused"] = f"http://127.0.0.1:{closed_port}"
    urls["unresolvable"] = "https://no-such-host.invalid"
    yield urls
    for server in running.values():
        server.shutdown()
        server.server_close()
    silent.close()


def test_probe_tells_each_kind_of_answer_apart(servers):
    ok = health.probe(servers["ok"])
    assert (ok.ok, ok.method, ok.status_code, ok.error) == (True, "HEAD", 200, None)
    assert ok.latency_ms is not None and ok.latency_ms < 1000
    no_head = health.probe(servers["no-head"])
    assert (no_head.ok, no_head.method, no_head.status_code) == (True, "GET", 200)
    broken = health.probe(servers["broken"])
    assert (broken.ok, broken.status_code, broken.error) == (False, 503, "HTTP 503")
    started = time.monotonic()
    silent = health.probe(servers["silent"], connect_timeout=0.5, read_timeout=0.5)
    assert (silent.ok, silent.error) == (False, "超时")
    assert time.monotonic() - started < 3
    assert health.probe(servers["refused"]).error == "连接被拒绝"
    assert health.probe(servers["unresolvable"]).error == "域名无法解析"


def test_check_all_keeps_history_and_counts_consecutive_failures(app, servers, make_department):
    department = make_department()
    platforms = {mode: Platform(code=f"p-{mode}", name=f"平台 {mode}", base_url=url, department=department)
                 for mode, url in servers.items()}
    platforms["retired"] = Platform(code="p-retired", name="已下线", base_url=servers["refused"], status="retired")
    db.session.add_all(platforms.values())
    db.session.commit()
    first = dt.datetime(2026, 12, 1, 1, 0)
    # (the .invalid name never resolves, so nothing leaves this machine)
    results = health.check_all(concurrency=3, connect_timeout=0.5, read_timeout=0.5, now=first, loopback_only=False)
    assert {platform.code for platform, _ in results} == {f"p-{mode}" for mode in servers}  # not the retired one
    health.check_all(concurrency=3, connect_timeout=0.5, read_timeout=0.5, now=first + dt.timedelta(minutes=15),
                     loopback_only=False)
    db.session.expire_all()
    state = {p.code: (p.failed_checks, p.last_ok_at is not None) for p in db.session.scalars(select(Platform))}
    assert state["p-ok"] == (0, True) and state["p-no-head"] == (0, True)
    assert state["p-silent"] == (2, False) and state["p-refused"] == (2, False) and state["p-broken"] == (2, False)
    assert state["p-retired"] == (0, False)
    assert db.session.query(PlatformCheck).count() == 2 * len(servers)
    assert health.unreachable(db.session.get(Platform, platforms["silent"].id))
    assert not health.unreachable(db.session.get(Platform, platforms["ok"].id))


def test_development_and_tests_probe_only_platforms_on_this_machine(app, servers):
    db.session.add_all([Platform(code="p-local", name="本机", base_url=servers["ok"]),
                        Platform(code="p-localhost", name="本机名", base_url="http://localhost:9"),
                        Platform(code="p-real", name="真实平台", base_url="https://www.gdzwfw.gov.cn")])
    db.session.commit()
    assert app.config["PLATFORM_CHECK_LOOPBACK_ONLY"] is True
    assert [p.code for p in health.platforms_to_check()] == ["p-local", "p-localhost"]
    assert len(health.platforms_to_check(loopback_only=False)) == 3
    result = app.test_cli_runner().invoke(args=["platforms", "check", "--timeout", "1"])
    assert "跳过 1 个" in result.output and "检测 2 个平台" in result.output


def test_history_older_than_ninety_days_is_dropped(app, servers, make_department):
    platform = Platform(code="p-ok", name="平台", base_url=servers["ok"])
    db.session.add(platform)
    db.session.add(PlatformCheck(platform=platform, checked_at=dt.datetime(2026, 1, 1), ok=True))
    db.session.commit()
    health.check_all(now=dt.datetime(2026, 12, 1))
    assert [check.checked_at for check in db.session.scalars(select(PlatformCheck))] == [dt.datetime(2026, 12, 1)]


def test_tls_expiry_is_read_from_the_certificate(tmp_path):
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    expires = dt.datetime(2027, 3, 1, 12, 0, tzinfo=dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(1).not_valid_before(dt.datetime(2026, 1, 1, tzinfo=dt.UTC)).not_valid_after(expires)
            .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]), critical=False)
            .sign(key, hashes.SHA256()))
    (tmp_path / "cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (tmp_path / "key.pem").write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                                         serialization.PrivateFormat.PKCS8,
                                                         serialization.NoEncryption()))
    server = _serve("ok")
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(tmp_path / "cert.pem", tmp_path / "key.pem")
    server.socket = context.wrap_socket(server.socket, server_side=True)
    url = f"https://localhost:{server.server_port}"
    try:
        trusted = ssl.create_default_context(cafile=str(tmp_path / "cert.pem"))
        assert health.tls_expiry(url, context=trusted) == dt.datetime(2027, 3, 1, 12, 0)
        # an untrusted (self-signed) certificate is a failed check, said as such
        assert health.probe(url).error == "TLS 证书错误"
    finally:
        server.shutdown()
        server.server_close()


def test_the_guide_page_says_plainly_when_the_platform_could_not_be_reached(client, registry):
    platform = registry["wjw"]
    page = client.get("/matters/M-BIRTH").get_data(as_text=True)
    assert "最近无法访问" not in page
    platform.failed_checks, platform.last_checked_at = 2, dt.datetime(2026, 12, 1, 2, 0)
    db.session.commit()
    page = client.get("/matters/M-BIRTH").get_data(as_text=True)
    assert "“卫健办事系统”最近无法访问" in page
    assert "2026-12-01 10:00" in page  # Beijing time
    assert "拨打咨询电话 0546-1234567" in page and 'href="tel:12345"' in page
    assert 'href="/go/M-BIRTH"' in page  # the link stays available
    # one failed check is not yet "unreachable"
    platform.failed_checks = 1
    db.session.commit()
    assert "最近无法访问" not in client.get("/matters/M-BIRTH").get_data(as_text=True)


def test_the_check_command_runs_once_and_reports(app, servers):
    db.session.add_all([Platform(code="p-ok", name="好", base_url=servers["ok"]),
                        Platform(code="p-refused", name="坏", base_url=servers["refused"])])
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["platforms", "check", "--timeout", "1"])
    assert result.exit_code == 0, result.output
    assert "检测 2 个平台：可访问 1，无法访问 1（连接被拒绝 1）" in result.output

def test_a_health_change_moves_the_content_generation_so_shared_guide_pages_show_it(app, servers):
    """Anonymous guide pages are shared per content generation (portal/page_cache.py): recording a check
    writes the platform row, which moves it in the same transaction."""
    from portal.models.generation import ContentGeneration

    platform = Platform(code="p-refused", name="坏", base_url=servers["refused"])
    db.session.add(platform)
    db.session.commit()

    def generation():
        db.session.expire_all()
        return db.session.get(ContentGeneration, 1).value

    before = generation()
    health.check_all()
    assert generation() > before
