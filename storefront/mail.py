"""The one way out for e-mail: `send_mail(to, subject, text, html=None)`.

MAIL_BACKEND "outbox" (development and tests) writes each message as an .eml file into MAIL_OUTBOX
(default instance/outbox/), where a developer or a test can open it; "smtp" (production) sends it through
MAIL_SERVER with the MAIL_* settings from the environment.
"""
import logging
import smtplib
import uuid
from datetime import datetime
from email.header import Header
from email.message import EmailMessage
from email.policy import EmailPolicy
from email.utils import format_datetime, make_msgid
from pathlib import Path

from flask import current_app

log = logging.getLogger(__name__)


class _Policy(EmailPolicy):
    """email.policy.default, except that a non-ASCII Subject is folded by email.header.Header: Python 3.11's
    folder drops the space between two encoded words ("của bạn" arrives as "củabạn")."""

    def fold(self, name, value):
        if name.lower() == "subject" and not str(value).isascii():
            return f"{name}: {Header(str(value), 'utf-8', header_name=name).encode(linesep=self.linesep)}{self.linesep}"
        return super().fold(name, value)

    def fold_binary(self, name, value):
        if name.lower() == "subject" and not str(value).isascii():
            return self.fold(name, value).encode("ascii")
        return super().fold_binary(name, value)


POLICY = _Policy()


def send_mail(to, subject, text, html=None):
    """Send one message; returns the EmailMessage that went out."""
    config = current_app.config
    message = EmailMessage(policy=POLICY)
    message["From"] = config["MAIL_FROM"]
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = format_datetime(datetime.now().astimezone())
    message["Message-ID"] = make_msgid(domain=_sender_domain(config["MAIL_FROM"]))
    message.set_content(text)
    if html is not None:
        message.add_alternative(html, subtype="html")
    backend = config["MAIL_BACKEND"]
    if backend == "outbox":
        where = _write_to_outbox(message)
    elif backend == "smtp":
        where = _send_by_smtp(message, config)
    else:
        raise RuntimeError(f"MAIL_BACKEND must be 'outbox' or 'smtp', not {backend!r}")
    log.info("mail to %s, %r: %s", to, subject, where)
    return message


def outbox_path():
    return Path(current_app.config["MAIL_OUTBOX"] or Path(current_app.instance_path) / "outbox")


def _write_to_outbox(message):
    folder = outbox_path()
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{datetime.now():%Y%m%d-%H%M%S-%f}-{uuid.uuid4().hex[:8]}.eml"
    partial = folder / f".{name}.part"
    partial.write_bytes(message.as_bytes())
    return partial.rename(folder / name)


def _send_by_smtp(message, config):
    connect = smtplib.SMTP_SSL if config["MAIL_USE_SSL"] else smtplib.SMTP
    with connect(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=config["MAIL_TIMEOUT"]) as smtp:
        if config["MAIL_USE_TLS"] and not config["MAIL_USE_SSL"]:
            smtp.starttls()
        if config["MAIL_USERNAME"]:
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
        smtp.send_message(message)
    return f"sent via {config['MAIL_SERVER']}:{config['MAIL_PORT']}"


def _sender_domain(sender):
    address = sender.rsplit("<", 1)[-1].rstrip(">")
    return address.rpartition("@")[2] or "localhost"
