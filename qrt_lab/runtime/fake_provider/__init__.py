"""Fake backends for local testing mode, under the official names.

Pass one as ``mode`` to ``SamplerV2``/``EstimatorV2`` (or an ``AerSimulator``): the primitives
run in-process on Aer, as the official local testing mode does. See ``docs/client.md`` for what
a fake device is made of.
"""

from __future__ import annotations

from .backends import *  # noqa: F403
from .backends import __all__ as _backend_names
from .fake_backend import FakeBackendV2
from .provider import FakeProviderForBackendV2

__all__ = ["FakeBackendV2", "FakeProviderForBackendV2", *_backend_names]
