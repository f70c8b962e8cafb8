"""The pydantic base of the executor-era options models (``qiskit_ibm_runtime.options_models``)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pydantic import BaseModel, ConfigDict

__all__ = ["BaseOptionsModel"]


class BaseOptionsModel(BaseModel):
    """Options validated on construction and on every assignment; unknown names are errors."""

    model_config = ConfigDict(validate_assignment=True, extra="forbid")

    def __dir__(self) -> Iterable[str]:
        """The option names (tab completion shows options, not pydantic internals)."""
        return list(type(self).model_fields)

    def update(self, **kwargs: Any) -> None:
        """Set several options at once; a nested options group takes a dict of its own options.

        Raises:
            pydantic.ValidationError: A name is unknown or a value is invalid.
        """
        for key, value in kwargs.items():
            current = getattr(self, key, None)
            if isinstance(current, BaseOptionsModel) and isinstance(value, dict):
                current.update(**value)
            else:
                setattr(self, key, value)
