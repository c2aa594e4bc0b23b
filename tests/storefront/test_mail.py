"""The mail adapter: .eml files in the outbox in development and tests, SMTP in production."""
import socketserver
import threading
from email import policy
from email.parser import BytesParser

import pytest

from storefront.mail import outbox_path, send_mail

SUBJECT = "Mật khẩu tài khoản Chợ OCOP của bạn đã được đổi"


def test_a_message_becomes_one_eml_file_in_the_outbox(app, outbox):
    with app.app_context():
        send_mail("lan@example.vn", SUBJECT, "Xin chào Lan,\nđây là thư thử.", html="<p>Xin chào <b>Lan</b></p>")
        files = list(outbox_path().glob("*.eml"))
    assert len(files) == 1 and str(files[0].parent) == f"{app.instance_path}/outbox"
    (message,) = outbox()
    assert message["To"] == "lan@example.vn" and message["Subject"] == SUBJECT
    assert message["From"].addresses[0].display_name == "Chợ OCOP" and message["Message-ID"] and message["Date"]
    assert message.get_body(("plain",)).get_content() == "Xin chào Lan,\nđây là thư thử.\n"
    assert message.get_body(("html",)).get_content().strip() == "<p>Xin chào <b>Lan</b></p>"


def test_a_long_vietnamese_subject_keeps_its_spaces_when_folded(app, outbox):
    subject = " ".join([SUBJECT] * 3)
    with app.app_context():
        send_mail("lan@example.vn", subject, "x")
        raw = next(outbox_path().glob("*.eml")).read_bytes()
    assert all(len(line) <= 78 for line in raw.split(b"\n"))
    assert outbox()[0]["Subject"] == subject


def test_the_outbox_folder_is_a_setting(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_OUTBOX", str(tmp_path / "thu"))
    with app.app_context():
        send_mail("lan@example.vn", "Chào", "x")
    assert len(list((tmp_path / "thu").glob("*.eml"))) == 1


def test_each_message_is_logged_in_one_line(app, caplog):
    with app.app_context(), caplog.at_level("INFO", logger="storefront.mail"):
        send_mail("lan@example.vn", "Chào", "bí mật: 123456")
    (record,) = caplog.records
    assert "lan@example.vn" in record.getMessage() and "\n" not in record.getMessage()
    assert "123456" not in record.getMessage()


class SMTPStandIn(socketserver.StreamRequestHandler):
    """Just enough SMTP (RFC 5321) for smtplib: greets, takes one message, and remembers it."""

    def reply(self, line):
        self.wfile.write(line.encode() + b"\r\n")

    def handle(self):
        self.reply("220 stand-in ready")
        while line := self.rfile.readline():
            command = line.decode().strip()
            verb = command.split(" ", 1)[0].upper()
            if verb == "EHLO":
                self.reply("250-stand-in")
                self.reply("250 AUTH PLAIN")
            elif verb == "AUTH":
                self.server.received["auth"] = command
                self.reply("235 ok")
            elif verb in ("MAIL", "RCPT"):
                self.server.received.setdefault("envelope", []).append(command)
                self.reply("250 ok")
            elif verb == "DATA":
                self.reply("354 go on")
                data = b""
                while (chunk := self.rfile.readline()) != b".\r\n":
                    data += chunk
                self.server.received["data"] = data
                self.reply("250 queued")
            elif verb == "QUIT":
                self.reply("221 bye")
                return
            else:
                self.reply("250 ok")


@pytest.fixture
def smtp_server():
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), SMTPStandIn)
    server.received = {}
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


def test_in_production_mail_goes_out_by_smtp_with_the_configured_login(app, smtp_server, monkeypatch, tmp_path):
    for key, value in {"MAIL_BACKEND": "smtp", "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": smtp_server.server_address[1],
                       "MAIL_USE_TLS": False, "MAIL_USE_SSL": False, "MAIL_USERNAME": "cho-ocop",
                       "MAIL_PASSWORD": "mail-secret", "MAIL_OUTBOX": str(tmp_path / "unused")}.items():
        monkeypatch.setitem(app.config, key, value)
    with app.app_context():
        send_mail("lan@example.vn", SUBJECT, "Xin chào Lan")
    received = smtp_server.received
    assert received["auth"].startswith("AUTH PLAIN")
    assert [c.upper().split(":", 1) for c in received["envelope"]] == [
        ["MAIL FROM", "<NO-REPLY@CHO-OCOP.VN>"], ["RCPT TO", "<LAN@EXAMPLE.VN>"]]
    message = BytesParser(policy=policy.default).parsebytes(received["data"])
    assert message["Subject"] == SUBJECT and message.get_content().splitlines() == ["Xin chào Lan"]
    assert not (tmp_path / "unused").exists()


def test_an_unknown_backend_is_an_error_not_a_silent_drop(app, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_BACKEND", "pigeon")
    with app.app_context(), pytest.raises(RuntimeError, match="MAIL_BACKEND"):
        send_mail("lan@example.vn", "Chào", "x")
