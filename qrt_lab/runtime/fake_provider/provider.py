"""``FakeProviderForBackendV2``: every fake backend, by name."""

from __future__ import annotations

from qiskit.providers.exceptions import QiskitBackendNotFoundError

from . import backends as _backends
from .fake_backend import FakeBackendV2

__all__ = ["FakeProviderForBackendV2"]


class FakeProviderForBackendV2:
    """The fake backends, as the official provider lists them (``fake_<device>`` names)."""

    def __init__(self) -> None:
        self._classes: dict[str, type[FakeBackendV2]] = {
            cls.backend_name: cls
            for cls in (getattr(_backends, name) for name in _backends.__all__)
        }

    def backends(self, name: str | None = None) -> list[FakeBackendV2]:
        """All fake backends, or the one called ``name`` (an empty list when none is).

        Args:
            name: A backend name such as ``"fake_fez"``.
        """
        if name is not None:
            cls = self._classes.get(name)
            return [cls()] if cls is not None else []
        return [cls() for cls in self._classes.values()]

    def backend(self, name: str | None = None) -> FakeBackendV2:
        """The fake backend called ``name`` (the first one when None).

        Raises:
            QiskitBackendNotFoundError: No fake backend has that name.
        """
        if name is None:
            return next(iter(self._classes.values()))()
        cls = self._classes.get(name)
        if cls is None:
            raise QiskitBackendNotFoundError(
                f"No fake backend named {name!r}; "
                f"the names are: {', '.join(sorted(self._classes))}."
            )
        return cls()
