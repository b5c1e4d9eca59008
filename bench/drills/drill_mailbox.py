"""An e-mail backend for the drills: one file per message in $CCHC_DRILL_MAILBOX.

It behaves like a mail server seen from the application: sending takes a while
($CCHC_DRILL_MAIL_DELAY seconds, default 0.05, the SMTP conversation), then the message is
accepted at once (written to a temporary name and renamed, so a process killed during
the conversation leaves no message, and a message written is whole). While a
conversation lasts, a marker file sits in `.talking/`, so a drill can kill the sender
in the middle of one; with $CCHC_DRILL_AFTER_ACCEPT_DELAY, the conversation goes on
that long after the message is accepted, marked in `.accepted/`. The drills count the
files per recipient and subject to see what a user would have received.
"""

from __future__ import annotations

import os
import time
import uuid
from pathlib import Path

from django.core.mail.backends.base import BaseEmailBackend


class DrillMailbox(BaseEmailBackend):
    def send_messages(self, email_messages):
        box = Path(os.environ["CCHC_DRILL_MAILBOX"])
        box.mkdir(parents=True, exist_ok=True)
        delay = float(os.environ.get("CCHC_DRILL_MAIL_DELAY", "0.05"))
        after_accept = float(os.environ.get("CCHC_DRILL_AFTER_ACCEPT_DELAY", "0"))
        sent = 0
        talking = box / ".talking"
        talking.mkdir(exist_ok=True)
        for message in email_messages:
            name = uuid.uuid4().hex
            marker = talking / name
            marker.touch()
            time.sleep(delay)
            partial = box / f".{name}.tmp"
            partial.write_bytes(message.message().as_bytes())
            partial.rename(box / f"{name}.eml")  # accepted by the "server"
            marker.unlink()
            if after_accept:  # the end of the conversation (QUIT), after the message is accepted
                accepted = box / ".accepted" / name
                accepted.parent.mkdir(exist_ok=True)
                accepted.touch()
                time.sleep(after_accept)
                accepted.unlink()
            sent += 1
        return sent
