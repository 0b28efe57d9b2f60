"""What a schema downgrade would destroy, read from the migrations themselves.

Each revision's ``downgrade()`` is parsed (never run) for ``op.drop_table``,
``op.drop_column`` and ``batch_op.drop_column`` inside ``op.batch_alter_table``; the rows
those hold now are counted. A migration added later is covered without declaring anything.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

from alembic.script import Script, ScriptDirectory
from sqlalchemy import column as sql_column
from sqlalchemy import func, inspect, select, table
from sqlalchemy.engine import URL

from storage import migrate
from storage.db import make_sync_engine


@dataclass(frozen=True, slots=True)
class Loss:
    """Rows (or values of a column) that a downgrade deletes."""

    revision: str
    table: str
    column: str | None
    rows: int


def _drops(path: Path) -> list[tuple[str, str | None]]:
    """(table, column or None) that the file's ``downgrade()`` drops, in order."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: list[tuple[int, str, str | None]] = []
    for function in tree.body:
        if not (isinstance(function, ast.FunctionDef) and function.name == "downgrade"):
            continue
        batch_tables: dict[str, str] = {}  # `with op.batch_alter_table("t") as name`
        for node in ast.walk(function):
            if isinstance(node, ast.With):
                for item in node.items:
                    call = item.context_expr
                    if (
                        isinstance(call, ast.Call)
                        and isinstance(call.func, ast.Attribute)
                        and call.func.attr == "batch_alter_table"
                        and call.args
                        and isinstance(call.args[0], ast.Constant)
                        and isinstance(item.optional_vars, ast.Name)
                    ):
                        batch_tables[item.optional_vars.id] = str(call.args[0].value)
        for node in ast.walk(function):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                continue
            args = [a.value for a in node.args if isinstance(a, ast.Constant)]
            owner = node.func.value
            if node.func.attr == "drop_table" and args:
                found.append((node.lineno, str(args[0]), None))
            elif node.func.attr == "drop_column" and isinstance(owner, ast.Name):
                if owner.id in batch_tables and args:
                    found.append((node.lineno, batch_tables[owner.id], str(args[0])))
                elif owner.id == "op" and len(args) >= 2:
                    found.append((node.lineno, str(args[0]), str(args[1])))
    return [(table_name, column) for _line, table_name, column in sorted(found)]


def revisions_undone(url: str | URL, target: str) -> list[Script]:
    """The revisions a downgrade from the database's revision to ``target`` undoes, newest
    first. ``target`` is a revision id, ``base``, or ``-N``."""
    scripts = ScriptDirectory.from_config(migrate.alembic_config(url))
    current = migrate.current_revision(url)
    if current is None:
        return []
    undone: list[Script] = []
    revision: Script | None = scripts.get_revision(current)
    steps = int(target[1:]) if target.startswith("-") and target[1:].isdigit() else None
    while revision is not None:
        if steps is not None and len(undone) == steps:
            break
        if steps is None and target != "base" and revision.revision == target:
            break
        undone.append(revision)
        down = revision.down_revision
        revision = scripts.get_revision(down) if isinstance(down, str) else None
    if steps is None and target != "base" and revision is None:
        raise ValueError(f"revision {target!r} is not below {current!r}")
    return undone


def data_lost(url: str | URL, target: str) -> list[Loss]:
    """Every table or column with data in it that the downgrade to ``target`` would drop."""
    losses: list[Loss] = []
    engine = make_sync_engine(url)
    try:
        with engine.connect() as connection:
            existing = set(inspect(connection).get_table_names())
            for script in revisions_undone(url, target):
                for table_name, column_name in _drops(Path(script.path)):
                    if table_name not in existing:
                        continue
                    query = select(func.count()).select_from(table(table_name))
                    if column_name is not None:
                        query = query.where(sql_column(column_name).is_not(None))
                    rows = connection.scalar(query) or 0
                    if rows:
                        losses.append(Loss(script.revision, table_name, column_name, rows))
    finally:
        engine.dispose()
    return losses
