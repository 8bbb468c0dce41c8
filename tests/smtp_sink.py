"""Mail servers for tests.

`smtp_sink`: one for tests that start the portal's commands in other processes. It
accepts every message, slowly if asked, and keeps each one's recipients and subject; it
speaks only the SMTP that Django's smtp backend speaks without TLS: EHLO/HELO, MAIL,
RCPT, DATA, RSET, NOOP and QUIT.

`REFUSING`: an email backend (settings.EMAIL_BACKEND) whose mail server has gone away.
"""

from __future__ import annotations

import email
import socketserver
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.header import decode_header, make_header
from smtplib import SMTPServerDisconnected

from django.core.mail.backends.base import BaseEmailBackend


@dataclass
class Received:
    """What the sink has accepted, in order: (recipients, subject) for each message."""

    messages: list[tuple[tuple[str, ...], str]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def _handler(received: Received, delay: float):
    class Handler(socketserver.StreamRequestHandler):
        def reply(self, line: str) -> None:
            self.wfile.write(f"{line}\r\n".encode())

        def handle(self) -> None:
            self.reply("220 sink ready")
            recipients: list[str] = []
            while line := self.rfile.readline():
                command = line.decode("ascii", "replace").strip()
                verb = command[:4].upper()
                if verb in ("EHLO", "HELO"):
                    self.reply("250 sink")
                elif verb == "MAIL":
                    recipients = []
                    self.reply("250 OK")
                elif verb == "RCPT":
                    recipients.append(command.split(":", 1)[1].strip(" <>"))
                    self.reply("250 OK")
                elif verb == "DATA":
                    self.reply("354 go ahead")
                    self.take_message(recipients)
                elif verb == "QUIT":
                    self.reply("221 bye")
                    return
                else:
                    self.reply("250 OK")

        def take_message(self, recipients: list[str]) -> None:
            lines = []
            while (line := self.rfile.readline()) not in (b".\r\n", b""):
                lines.append(line[1:] if line.startswith(b"..") else line)
            parsed = email.message_from_bytes(b"".join(lines))
            subject = str(make_header(decode_header(parsed["Subject"] or "")))
            time.sleep(delay)
            with received.lock:
                received.messages.append((tuple(recipients), subject))
            self.reply("250 queued")

    return Handler


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


@contextmanager
def smtp_sink(*, delay: float = 0.0) -> Iterator[tuple[int, Received]]:
    """A running sink on a free local port: yields (port, what it received)."""
    received = Received()
    server = _Server(("127.0.0.1", 0), _handler(received, delay))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1], received
    finally:
        server.shutdown()
        server.server_close()


class RefusingBackend(BaseEmailBackend):
    """A mail server that has gone away."""

    def send_messages(self, email_messages):
        raise SMTPServerDisconnected("Connection unexpectedly closed")


REFUSING = f"{__name__}.RefusingBackend"
