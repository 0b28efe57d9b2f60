"""The ``diemcau`` command line.

Subcommands are imported only when invoked, so ``diemcau draft`` never pays for loading
faster-whisper and ``diemcau transcribe`` never loads the database layer.
"""

from __future__ import annotations

import importlib
import logging
import sys
from collections.abc import Sequence
from functools import partial
from typing import Any

import click

from diemcau.cli_errors import error_line

# name -> "module:attribute" of a click command
COMMANDS: dict[str, str] = {
    "db": "diemcau.commands.db:db",
    "seed": "diemcau.commands.seed:seed",
    "demo": "diemcau.commands.demo:demo",
    "run": "diemcau.commands.run:run",
    "recording": "diemcau.commands.recording:recording",
    "draft": "diemcau.commands.draft:draft",
    "transcribe": "diemcau.commands.transcribe:transcribe",
    "backup": "diemcau.commands.backup:backup",
    "restore": "diemcau.commands.backup:restore",
    "people": "diemcau.commands.people:people",
    "token": "diemcau.commands.token:token",
}


class LazyGroup(click.Group):
    """A click group whose subcommands live in modules loaded on first use.

    Its errors, and those of every subcommand, are one line in Vietnamese
    (:func:`diemcau.cli_errors.error_line`), never click's English usage block.
    """

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        call = partial(super().main, args, prog_name, complete_var, standalone_mode=False)
        if not standalone_mode:
            return call(**extra)
        try:
            result: Any = call(**extra)
        except click.ClickException as error:
            click.echo(error_line(error), err=True)
            sys.exit(error.exit_code)
        except click.Abort:
            click.echo(error_line(click.ClickException("đã dừng")), err=True)
            sys.exit(1)
        sys.exit(result if isinstance(result, int) else 0)

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
