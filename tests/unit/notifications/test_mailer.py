"""The SMTP mailer against a real SMTP server (aiosmtpd): plain, STARTTLS, implicit TLS,
authentication; the development outbox; no health detail in any account email."""

from __future__ import annotations

import datetime as dt
import email
import ssl
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.smtp import AuthResult, LoginPassword
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from app.accounts import emails
from app.notifications.mailer import (
    MailError,
    OutboxMailer,
    SmtpMailer,
    build_message,
    get_mailer,
    use_mailer,
)
from tests.support.servers import Inbox, run_server


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    folder = tmp_path_factory.mktemp("tls")
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


def server_context(certificate: tuple[Path, Path]) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(*certificate)
    return context


def client_context(certificate: tuple[Path, Path]) -> ssl.SSLContext:
    return ssl.create_default_context(cafile=str(certificate[0]))


@pytest.fixture
def inbox() -> Inbox:
    return Inbox()


def message(to: str = "marie@example.org") -> Any:
    return build_message(to, "Sujet", "Bonjour.\n")


def test_plain_smtp_delivers(inbox: Inbox) -> None:
    server = run_server(inbox)
    try:
        SmtpMailer.from_url(f"smtp://localhost:{server.port}").send(message())
    finally:
        server.stop()
    assert inbox.received[0]["To"] == "marie@example.org"
    assert inbox.received[0]["Subject"] == "Sujet"


def test_starttls_is_used_when_offered_and_credentials_are_sent_inside_it(
    inbox: Inbox, certificate: tuple[Path, Path]
) -> None:
    seen: list[tuple[str, str, bool]] = []

    def check(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> AuthResult:
        assert isinstance(data, LoginPassword)
        seen.append((data.login.decode(), data.password.decode(), session.ssl is not None))
        return AuthResult(success=True)

    server = run_server(
        inbox,
        tls_context=server_context(certificate),
        require_starttls=True,
        authenticator=check,
        auth_require_tls=True,
    )
    try:
        mailer = SmtpMailer.from_url(
            f"smtp://reprise%40asso:p%40ss%3Aword@localhost:{server.port}",
            context=client_context(certificate),
        )
        mailer.send(message())
    finally:
        server.stop()
    assert seen == [("reprise@asso", "p@ss:word", True)]
    assert len(inbox.received) == 1


def test_implicit_tls_with_smtps(inbox: Inbox, certificate: tuple[Path, Path]) -> None:
    server = run_server(inbox, ssl_context=server_context(certificate))
    try:
        SmtpMailer.from_url(
            f"smtps://localhost:{server.port}", context=client_context(certificate)
        ).send(message())
    finally:
        server.stop()
    assert len(inbox.received) == 1


def test_an_untrusted_certificate_is_refused(inbox: Inbox, certificate: tuple[Path, Path]) -> None:
    server = run_server(inbox, tls_context=server_context(certificate), require_starttls=True)
    try:
        with pytest.raises(MailError):
            SmtpMailer.from_url(f"smtp://localhost:{server.port}").send(message())
    finally:
        server.stop()
    assert inbox.received == []


def test_development_writes_eml_files_to_the_outbox(tmp_path: Path) -> None:
    from app.config import Settings

    mailer = get_mailer(Settings(var_dir=tmp_path, smtp_url=""))
    assert isinstance(mailer, OutboxMailer)
    mailer.send(message())
    files = list((tmp_path / "outbox").glob("*.eml"))
    assert len(files) == 1
    assert email.message_from_bytes(files[0].read_bytes())["To"] == "marie@example.org"


HEALTH_WORDS = ("doctolib", "santé", "médical", "diab", "cancer", "association a")


def test_account_emails_carry_no_health_detail(inbox: Inbox) -> None:
    server = run_server(inbox)
    use_mailer(SmtpMailer.from_url(f"smtp://localhost:{server.port}"))
    try:
        emails.send_verification("a@example.org", "tok")
        emails.send_already_registered("a@example.org")
        emails.send_reset("a@example.org", "tok")
        emails.send_invitation("a@example.org", "tok", "helper", "Les Amis", "Nora Petit")
        emails.send_invitation("a@example.org", "tok", "member", "Les Amis", "Nora Petit")
        emails.send_purge_warning("a@example.org", 30)
        emails.send_account_deleted("a@example.org")
    finally:
        use_mailer(None)
        server.stop()
    assert len(inbox.received) == 7
    for received in inbox.received:
        body = received.get_payload(decode=True).decode().lower()
        subject = str(received["Subject"]).lower()
        for word in HEALTH_WORDS:
            assert word not in body
            assert word not in subject
