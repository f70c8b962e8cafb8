"""``%qruntime account``: show, list and choose the account the magics use (never a token)."""

from __future__ import annotations

import argparse

from . import _active
from ._dispatch import MagicError, subcommand
from ._display import Table

__all__: list[str] = []


def _configure(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="action", metavar="ACTION")
    actions.add_parser("show", help="The account in use and why (the default action).")
    actions.add_parser("list", help="The accounts saved in ~/.qiskit/qiskit-ibm.json.")
    use = actions.add_parser("use", help="Use the saved account NAME from now on.")
    use.add_argument("name", metavar="NAME", help="A saved account name ('account list').")
    use.add_argument("--instance", metavar="I", help="Instance CRN or name.")
    local = actions.add_parser("local", help="Use the local service of this machine.")
    local.add_argument("--instance", metavar="I", help="Local instance CRN.")


def _show() -> Table:
    service = _active.service()
    account = service.active_account()
    rows = [
        ("account", _active.current_choice().describe()),
        ("channel", service.channel),
        ("url", account.get("url")),
        ("instance", service.active_instance()),
    ]
    return Table(("field", "value"), rows)


def _list() -> Table:
    from ..runtime.accounts import AccountStore

    saved = AccountStore().list()
    rows = [
        (name, e.get("channel"), e.get("url"), e.get("instance"), e.get("is_default_account"))
        for name, e in sorted(saved.items())
    ]
    return Table(("name", "channel", "url", "instance", "default"), rows)


@subcommand(
    "account",
    help="Show, list or choose the account: account [show|list|use|local].",
    configure=_configure,
)
def _account(args: argparse.Namespace) -> Table:
    if args.action == "list":
        return _list()
    if args.action == "use":
        if not args.name.strip():
            raise MagicError("account use needs a NAME; '%qruntime account list' shows them.")
        _active.use_saved(args.name, args.instance)
    elif args.action == "local":
        _active.use_local(args.instance)
    return _show()
