"""What can go wrong in the runtime, as one tree.

    LaunchwatchError            base of every error the runtime raises on purpose
    ├── ConfigurationError      a setting is missing or malformed; the process exits 2
    ├── TransportError          the broker refused or could not be reached; the process
    │                           exits non-zero without committing, so nothing is lost
    │   ├── PartitionLost       a partition moved to another member before its work
    │                           was committed; that member reads it again
    │   └── MemberFenced        another process joined the group under this replica's
    │                           instance id; this one stops cleanly (exit 0)
    └── MessageError            one message cannot be processed; it goes to `<topic>.dlq`
        ├── MessageTooLarge     an output exceeds the size its topic accepts
        └── RejectMessage       a handler's verdict: this input can never be processed

Decoding failures come from `schemas.WireError` (`UndecodableMessage`,
`InvalidMessage`) and are dead-lettered the same way. Any other exception from
a handler is treated as possibly transient: retried with backoff, then
dead-lettered with reason ``handler-failed``.
"""

from __future__ import annotations


class LaunchwatchError(Exception):
    """Base of the runtime's own errors."""


class ConfigurationError(LaunchwatchError):
    """A setting is missing or malformed."""


class TransportError(LaunchwatchError):
    """The broker refused an operation or could not be reached."""


class PartitionLost(TransportError):
    """The group took a partition away before its position was committed."""


class MemberFenced(TransportError):
    """A newer process holds this replica's group instance id: this one must stop.

    Not a failure of the broker or of this process: restarting it would only
    take the id back and fence the newer one in turn.
    """


class MessageError(LaunchwatchError):
    """One message cannot be processed; the stream moves on without it."""


class MessageTooLarge(MessageError):
    """An encoded record is larger than its topic's `max.message.bytes`."""


class RejectMessage(MessageError):
    """Raised by a handler for input it can never process; skips the retries."""
