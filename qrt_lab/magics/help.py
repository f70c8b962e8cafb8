"""``%qruntime help [SUBCOMMAND]``: every subcommand in one list, or one subcommand's options."""

from __future__ import annotations

import argparse

from ._dispatch import SUBCOMMANDS, MagicError, subcommand, subcommand_help

__all__: list[str] = []


def _configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("topic", nargs="?", metavar="SUBCOMMAND", help="Explain one subcommand.")


@subcommand(
    "help", help="List the subcommands, or explain one: help SUBCOMMAND.", configure=_configure
)
def _help(args: argparse.Namespace) -> None:
    if args.topic is None:
        width = max(len(name) for name in SUBCOMMANDS)
        print("%qruntime SUBCOMMAND [options]   (add --help to any subcommand for its options)\n")
        for command in sorted(SUBCOMMANDS.values(), key=lambda c: (c.cell, c.name)):
            magic = "%%qruntime" if command.cell else "%qruntime"
            print(f"  {magic:<10} {command.name:<{width}}  {command.help}")
        print("\nAccount rule: '%qruntime account' shows which service is used and why.")
        return
    if args.topic not in SUBCOMMANDS:
        import difflib

        near = difflib.get_close_matches(args.topic, list(SUBCOMMANDS), n=1, cutoff=0.5)
        hint = f"did you mean '{near[0]}'?" if near else "'%qruntime help' lists them."
        raise MagicError(f"There is no subcommand {args.topic!r}; {hint}")
    print(subcommand_help(args.topic))
