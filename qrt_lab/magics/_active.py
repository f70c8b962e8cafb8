"""Which service the magics talk to in this kernel.

The rule, in order:

1. ``%qruntime account use NAME [--instance I]`` picks the saved account ``NAME``;
   ``%qruntime account local`` picks the local service. The choice lasts until the next one.
2. Otherwise the account ``QiskitRuntimeService()`` would pick (``QISKIT_IBM_TOKEN``, or the
   saved default account in ``~/.qiskit/qiskit-ibm.json``) when there is one;
3. else the local service (``QiskitRuntimeService(channel="local")``, found or started).

The service is built on first use (no network at import or ``%load_ext``) and then reused.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..runtime.service import QiskitRuntimeService

__all__ = ["AccountChoice", "current_choice", "forget", "service", "use_local", "use_saved"]


@dataclass(frozen=True)
class AccountChoice:
    """How the kernel's service is (or will be) built.

    Attributes:
        name: The saved account name, or None for the local service or the default account.
        local: Use the local service.
        instance: Instance CRN or name to use, or None for the account's own.
        explicit: Chosen with ``%qruntime account``, not by the default rule.
    """

    name: str | None
    local: bool
    instance: str | None = None
    explicit: bool = False

    def describe(self) -> str:
        """One line: which account and why."""
        if self.local:
            what = "the local service"
        else:
            what = f"saved account {self.name!r}" if self.name else "the default saved account"
        if self.instance:
            what += f" (instance {self.instance})"
        why = "chosen with %qruntime account" if self.explicit else "default rule"
        return f"{what}; {why}"


_choice: AccountChoice | None = None
_service: QiskitRuntimeService | None = None


def _default_choice() -> AccountChoice:
    from ..runtime.accounts import resolve_account
    from ..runtime.exceptions import AccountNotFoundError

    try:
        resolve_account()
    except AccountNotFoundError:
        return AccountChoice(name=None, local=True)
    return AccountChoice(name=None, local=False)


def current_choice() -> AccountChoice:
    """The account choice in force (reads the saved-account file, no network)."""
    return _choice or _default_choice()


def service() -> QiskitRuntimeService:
    """The kernel's service, built on first use from :func:`current_choice`."""
    global _service
    if _service is None:
        from ..runtime import QiskitRuntimeService

        choice = current_choice()
        kwargs: dict[str, Any] = {"instance": choice.instance}
        if choice.local:
            kwargs["channel"] = "local"
        elif choice.name:
            kwargs["name"] = choice.name
        _service = QiskitRuntimeService(**kwargs)
    return _service


def _replace(choice: AccountChoice) -> QiskitRuntimeService:
    global _choice
    previous = _choice
    forget()
    _choice = choice
    try:
        return service()
    except Exception:
        _choice = previous  # a failed switch keeps the previous choice
        raise


def use_saved(name: str, instance: str | None = None) -> QiskitRuntimeService:
    """Switch the kernel to the saved account ``name`` (connects now, to fail early).

    Raises:
        AccountNotFoundError: No account is saved under ``name``.
    """
    return _replace(AccountChoice(name=name, local=False, instance=instance, explicit=True))


def use_local(instance: str | None = None) -> QiskitRuntimeService:
    """Switch the kernel to the local service (found, or started)."""
    return _replace(AccountChoice(name=None, local=True, instance=instance, explicit=True))


def forget() -> None:
    """Drop the kernel's service and choice (the default rule applies again)."""
    global _service, _choice
    if _service is not None:
        _service.close()
    _service, _choice = None, None
