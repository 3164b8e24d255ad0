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
