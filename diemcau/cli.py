"""The ``diemcau`` command line.

Subcommands are imported only when invoked, so ``diemcau draft`` never pays for loading
faster-whisper and ``diemcau transcribe`` never loads the database layer.
"""

from __future__ import annotations

import importlib
import logging
from typing import Any

import click

# name -> "module:attribute" of a click command
COMMANDS: dict[str, str] = {
    "db": "diemcau.commands.db:db",
    "seed": "diemcau.commands.seed:seed",
    "demo": "diemcau.commands.demo:demo",
    "run": "diemcau.commands.run:run",
    "draft": "diemcau.commands.draft:draft",
    "transcribe": "diemcau.commands.transcribe:transcribe",
    "backup": "diemcau.commands.backup:backup",
    "restore": "diemcau.commands.backup:restore",
    "people": "diemcau.commands.people:people",
}


class LazyGroup(click.Group):
    """A click group whose subcommands live in modules loaded on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        module_name, attr = target.split(":")
        command: Any = getattr(importlib.import_module(module_name), attr)
        if not isinstance(command, click.Command):
            raise TypeError(f"{target} is not a click command")
        return command


@click.group(cls=LazyGroup)
@click.option("-v", "--verbose", is_flag=True, help="Log debug messages (in English) to stderr.")
def cli(verbose: bool) -> None:
    """Điểm Cầu: phiên họp trực tuyến, biên bản và nhiệm vụ sau họp."""
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )


def main() -> None:
    cli()
