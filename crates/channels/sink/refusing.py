"""The test SMTP server's handler: aiosmtpd's Mailbox (each message a file in
a maildir), which refuses some recipients the way real servers do.

Loaded by src/sink.rs as `python3 -m aiosmtpd -c refusing.RefusingMailbox DIR`
with this folder on PYTHONPATH.
"""

import itertools

from aiosmtpd.handlers import Mailbox

_queued = itertools.count(1)


class RefusingMailbox(Mailbox):
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith("nobody"):
            return "550 5.1.1 no such user"
        if address.startswith("busy"):
            return "451 4.3.0 try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        await super().handle_DATA(server, session, envelope)
        # Like Postfix, so the client has a queue id to keep.
        return "250 2.0.0 Ok: queued as Q%d" % next(_queued)


class CountingSink:
    """Notes the Message-ID of each message it takes, one line each, in the
    file it is given: a load's messages counted without storing them."""

    def __init__(self, path):
        self._ids = open(path, "a", buffering=1)

    @classmethod
    def from_cli(cls, parser, *args):
        if len(args) != 1:
            parser.error("CountingSink takes the file of ids")
        return cls(args[0])

    async def handle_DATA(self, server, session, envelope):
        message_id = b""
        for line in envelope.content.split(b"\r\n"):
            if not line:
                break
            if line.lower().startswith(b"message-id:"):
                message_id = line.split(b":", 1)[1].strip()
        self._ids.write(message_id.decode("ascii", "replace") + "\n")
        return "250 2.0.0 Ok: queued as C%d" % next(_queued)
