"""JSON answers encoded once and reused while what they encode is unchanged.

A burst of identical reads (many sidebars, a refresh storm) is answered from the same bytes:
``json.dumps`` and the ETag's SHA-1 run once per change of the answer, not once per request.
The ETag is the one tornado would compute from the same bytes, so ``If-None-Match`` gets a
``304`` exactly as before.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any

__all__ = ["EncodedBody", "EncodedMemo"]


@dataclass(frozen=True)
class EncodedBody:
    """A JSON document as UTF-8 bytes and its strong ETag."""

    data: bytes
    etag: str

    @classmethod
    def of(cls, payload: Any) -> EncodedBody:
        """Encode ``payload`` (any JSON-serialisable value)."""
        return cls.of_text(json.dumps(payload))

    @classmethod
    def of_text(cls, text: str) -> EncodedBody:
        """Wrap JSON text already encoded (e.g. in a worker thread)."""
        data = text.encode()  # the ETag is tornado's: SHA-1 of the body
        return cls(data, f'"{hashlib.sha1(data).hexdigest()}"')


class EncodedMemo:
    """The encoded answer of each *slot*, reused while its sources are the same objects.

    A slot names one answer (``("usage", account_key)``); its sources are the objects the
    answer is built from (a cached or shared runtime answer, the account). When a later read
    finds the very same source objects (``is``, not ``==``: caches hand out the object they
    hold until it expires), the stored bytes are the answer; otherwise it is encoded again.

    Args:
        max_slots: Oldest slots are dropped beyond this many.
    """

    def __init__(self, max_slots: int = 128) -> None:
        self.max_slots = max_slots
        self._slots: dict[Hashable, tuple[tuple[object, ...], EncodedBody]] = {}

    def body(
        self, slot: Hashable, sources: tuple[object, ...], build: Callable[[], Any]
    ) -> EncodedBody:
        """The encoded ``build()`` for ``slot``, built again only when ``sources`` changed."""
        held = self._slots.get(slot)
        if held is not None and _same(held[0], sources):
            return held[1]
        encoded = EncodedBody.of(build())
        self._slots.pop(slot, None)
        self._slots[slot] = (sources, encoded)
        while len(self._slots) > self.max_slots:
            self._slots.pop(next(iter(self._slots)))
        return encoded

    def clear(self) -> None:
        """Forget every slot (an account change)."""
        self._slots.clear()


def _same(held: tuple[object, ...], sources: tuple[object, ...]) -> bool:
    return len(held) == len(sources) and all(a is b for a, b in zip(held, sources, strict=True))
