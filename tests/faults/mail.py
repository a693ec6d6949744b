"""An e-mail backend for the fault tests: each message "goes out" when its line is appended to the
file named by ``FAULT_MAIL_LOG``, after ``FAULT_MAIL_DELAY`` seconds (a slow SMTP server), so a
worker killed meanwhile has sent nothing of that message."""

from __future__ import annotations

import fcntl
import json
import os
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from django.core.mail.backends.base import BaseEmailBackend


class LogBackend(BaseEmailBackend):
    def send_messages(self, email_messages: Sequence[Any]) -> int:
        delay = float(os.environ.get("FAULT_MAIL_DELAY", "0"))
        path = Path(os.environ["FAULT_MAIL_LOG"])
        for message in email_messages:
            time.sleep(delay)
            line = json.dumps({"to": list(message.to), "subject": message.subject}) + "\n"
            with path.open("a") as log:
                fcntl.flock(log, fcntl.LOCK_EX)
                log.write(line)
        return len(email_messages)


def sent(path: Path) -> list[dict[str, Any]]:
    """The messages logged so far."""
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines() if line]
