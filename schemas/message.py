"""The base every topic value derives from.

A message names itself on the wire through its CloudEvents type
(``launchwatch.<Name>.v<major>``). The major version changes only with a
breaking change, and a breaking change also means a new topic (see
``schemas/README.md``), so a consumer can trust that one topic carries one major
version of one message type.
"""

from __future__ import annotations

from typing import ClassVar

import msgspec


class Message(msgspec.Struct, frozen=True, kw_only=True):
    """A value written to a topic: immutable, keyword-only, JSON on the wire."""

    major_version: ClassVar[int] = 1

    @classmethod
    def cloudevents_type(cls) -> str:
        """The `ce_type` header value: the schema's name and its major version."""
        return f"launchwatch.{cls.__name__}.v{cls.major_version}"


class Part(msgspec.Struct, frozen=True, kw_only=True):
    """A value nested inside a message; never written to a topic on its own."""
