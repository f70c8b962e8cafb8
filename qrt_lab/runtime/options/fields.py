"""The machinery under the primitive options: validated dataclasses with an ``Unset`` sentinel.

Every option group is a dataclass whose fields default to :data:`Unset` (not sent to the
service). Assigning a field validates it at once; unknown names, wrong types and out-of-range
values raise :class:`~qrt_lab.runtime.exceptions.IBMInputValueError` naming the option path,
what was given and what is allowed. Nested groups accept dicts, which are merged.
"""

from __future__ import annotations

import copy
import dataclasses
import difflib
from collections.abc import Callable, Iterable
from typing import Any, ClassVar, TypeVar

from qrt_lab.runtime.exceptions import IBMInputValueError

__all__ = ["OptionGroup", "Unset", "UnsetType", "Validator", "check", "option_group"]


class UnsetType:
    """The type of :data:`Unset`: an option the user did not set (the server default applies)."""

    _instance: ClassVar[UnsetType | None] = None

    def __new__(cls) -> UnsetType:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "Unset"

    def __bool__(self) -> bool:
        return False

    def __deepcopy__(self, memo: dict[int, Any]) -> UnsetType:
        return self


Unset = UnsetType()
Validator = Callable[[str, Any], Any]
G = TypeVar("G", bound="OptionGroup")


def _fail(path: str, value: Any, allowed: str) -> IBMInputValueError:
    return IBMInputValueError(f"Invalid value {value!r} for option '{path}': expected {allowed}.")


class check:
    """Validator factories; each returns ``(path, value) -> normalised value``."""

    @staticmethod
    def boolean() -> Validator:
        def run(path: str, value: Any) -> Any:
            if not isinstance(value, bool):
                raise _fail(path, value, "True or False")
            return value

        return run

    @staticmethod
    def integer(lo: int | None = None, hi: int | None = None, none: bool = False) -> Validator:
        def run(path: str, value: Any) -> Any:
            if value is None and none:
                return None
            ok = isinstance(value, int) and not isinstance(value, bool)
            if not ok or (lo is not None and value < lo) or (hi is not None and value > hi):
                bounds = f" >= {lo}" if lo is not None else ""
                bounds += f" and <= {hi}" if hi is not None else ""
                raise _fail(path, value, f"an int{bounds}{' or None' if none else ''}")
            return int(value)

        return run

    @staticmethod
    def number(gt: float | None = None, ge: float | None = None, none: bool = False) -> Validator:
        def run(path: str, value: Any) -> Any:
            if value is None and none:
                return None
            ok = isinstance(value, (int, float)) and not isinstance(value, bool)
            if not ok or (gt is not None and value <= gt) or (ge is not None and value < ge):
                bound = f" > {gt}" if gt is not None else (f" >= {ge}" if ge is not None else "")
                raise _fail(path, value, f"a number{bound}{' or None' if none else ''}")
            return float(value)

        return run

    @staticmethod
    def choice(*options: Any) -> Validator:
        def run(path: str, value: Any) -> Any:
            if value not in options:
                raise _fail(path, value, "one of " + ", ".join(repr(o) for o in options))
            return value

        return run

    @staticmethod
    def either(*validators: Validator, allowed: str) -> Validator:
        def run(path: str, value: Any) -> Any:
            for validator in validators:
                try:
                    return validator(path, value)
                except IBMInputValueError:
                    continue
            raise _fail(path, value, allowed)

        return run

    @staticmethod
    def list_of(item: Validator, what: str, none: bool = False) -> Validator:
        def run(path: str, value: Any) -> Any:
            if value is None and none:
                return None
            if isinstance(value, (str, bytes, dict)) or not isinstance(value, Iterable):
                raise _fail(path, value, f"a list of {what}")
            return [item(f"{path}[{i}]", v) for i, v in enumerate(value)]

        return run

    @staticmethod
    def string() -> Validator:
        def run(path: str, value: Any) -> Any:
            if not isinstance(value, str):
                raise _fail(path, value, "a string")
            return value

        return run

    @staticmethod
    def mapping() -> Validator:
        def run(path: str, value: Any) -> Any:
            if not isinstance(value, dict):
                raise _fail(path, value, "a dict")
            return value

        return run

    @staticmethod
    def anything() -> Validator:
        return lambda path, value: value


def _unknown(cls: type, name: str, path: str) -> IBMInputValueError:
    names = [f.name for f in dataclasses.fields(cls)]
    close = difflib.get_close_matches(name, names, n=1)
    hint = f" Did you mean '{close[0]}'?" if close else ""
    where = f"'{path}'" if path else cls.__name__
    return IBMInputValueError(
        f"Unknown option '{name}' in {where}.{hint} Valid options: {', '.join(names)}."
    )


@dataclasses.dataclass
class OptionGroup:
    """Base of every option group (see the module docstring)."""

    _validators: ClassVar[dict[str, Validator]] = {}
    _path: ClassVar[str] = ""

    def __setattr__(self, name: str, value: Any) -> None:
        field_types = {f.name: f for f in dataclasses.fields(self)}
        if name not in field_types:
            raise _unknown(type(self), name, self._path)
        path = f"{self._path}.{name}" if self._path else name
        group_type = _group_type(type(self), name)
        if group_type is not None:
            value = _coerce_group(group_type, value, path)
        elif value is not Unset and name in self._validators:
            value = self._validators[name](path, value)
        object.__setattr__(self, name, value)
        if self.__dict__.get("_ready"):
            self._check()

    def __post_init__(self) -> None:
        object.__setattr__(self, "_ready", True)
        self._check()

    def _check(self) -> None:
        """Cross-field rules; groups override this."""

    def update(self, **kwargs: Any) -> None:
        """Set several options; nested dicts are merged into the existing groups.

        Cross-field rules are checked once all values are set.
        """
        ready = self.__dict__.get("_ready", False)
        object.__setattr__(self, "_ready", False)
        try:
            for name, value in kwargs.items():
                current = getattr(self, name, None) if name in self.__dict__ else None
                if isinstance(current, OptionGroup) and isinstance(value, dict):
                    current.update(**value)
                else:
                    setattr(self, name, value)
        finally:
            object.__setattr__(self, "_ready", ready)
        if ready:
            self._check()

    def __repr__(self) -> str:
        return f"{type(self).__name__}({drop_unset(self.to_dict())})"

    def to_dict(self) -> dict[str, Any]:
        """All options as nested dicts (``Unset`` leaves kept)."""
        result: dict[str, Any] = {}
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            result[f.name] = value.to_dict() if isinstance(value, OptionGroup) else copy.copy(value)
        return result


def option_group(cls: type[G]) -> type[G]:
    """Make ``cls`` a dataclass whose constructor reports unknown option names clearly."""
    cls = dataclasses.dataclass(repr=False)(cls)
    generated = cls.__init__

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        names = {f.name for f in dataclasses.fields(cls)}
        for name in kwargs:
            if name not in names:
                raise _unknown(cls, name, cls._path)
        generated(self, *args, **kwargs)

    __init__.__doc__ = generated.__doc__
    cls.__init__ = __init__  # type: ignore[method-assign]
    return cls


def _group_type(cls: type, name: str) -> type[OptionGroup] | None:
    groups: dict[str, type[OptionGroup]] = getattr(cls, "_groups", {})
    return groups.get(name)


def _coerce_group(group_type: type[OptionGroup], value: Any, path: str) -> OptionGroup:
    if isinstance(value, group_type):
        return value
    if isinstance(value, dict):
        group = group_type()
        group.update(**value)
        return group
    raise IBMInputValueError(
        f"Invalid value {value!r} for option '{path}': expected a dict or {group_type.__name__}."
    )


def drop_unset(data: Any) -> Any:
    """Remove ``Unset`` leaves, then empty dicts, recursively."""
    if isinstance(data, dict):
        cleaned = {k: drop_unset(v) for k, v in data.items() if v is not Unset}
        return {k: v for k, v in cleaned.items() if not (isinstance(v, dict) and not v)}
    return data
