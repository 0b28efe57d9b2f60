"""docs/cli.md, written from the command line's own ``--help``, so that the two never differ.

    PYTHONPATH=. .venv/bin/python -m diemcau.clidocs > docs/cli.md

(tests/ops/test_docs.py fails when a command's help changed and this was not run again).
"""

from __future__ import annotations

import click
from click.testing import CliRunner

from diemcau.cli import cli

INTRO = """\
# The `diemcau` command line

Installed into `.venv/bin/` by `make demo` or `make test` (in the container image: on the
PATH). `draft` and `transcribe` keep their shape: scripts outside the project rely on them
(see DESIGN.md). Every setting comes from the environment (see the README and
[deploy.md](deploy.md)); a wrong one stops a command with one line that names it.

This page is generated from `--help`: `PYTHONPATH=. .venv/bin/python -m diemcau.clidocs >
docs/cli.md`.
"""


def _paths(command: click.Command, path: tuple[str, ...]) -> list[tuple[str, ...]]:
    found = [path]
    if isinstance(command, click.Group):
        context = click.Context(command, info_name=path[-1] if path else "diemcau")
        for name in command.list_commands(context):
            sub = command.get_command(context, name)
            if sub is not None and not sub.hidden:
                found += _paths(sub, (*path, name))
    return found


def render() -> str:
    runner = CliRunner()
    parts = [INTRO]
    for path in _paths(cli, ()):
        result = runner.invoke(cli, [*path, "--help"], prog_name="diemcau", terminal_width=100)
        if result.exit_code != 0:
            raise RuntimeError(f"diemcau {' '.join(path)} --help failed: {result.output}")
        title = " ".join(("diemcau", *path))
        parts.append(f"## `{title}`\n\n```text\n{result.output.rstrip()}\n```\n")
    return "\n".join(parts)


if __name__ == "__main__":
    print(render(), end="")
