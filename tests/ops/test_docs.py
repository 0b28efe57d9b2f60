"""The operator's documents say what the program does: docs/cli.md is the commands' own
``--help``; docs/deploy.md names every setting, every bot command and every web route."""

from __future__ import annotations

from pathlib import Path

from bot.texts import COMMANDS
from diemcau import clidocs
from diemcau.settings import Settings
from web.app import init_app

DOCS = Path(__file__).resolve().parents[2] / "docs"
REGENERATE = "run: PYTHONPATH=. .venv/bin/python -m diemcau.clidocs > docs/cli.md"


def test_cli_md_is_the_help_of_every_command() -> None:
    written = (DOCS / "cli.md").read_text(encoding="utf-8")
    assert written == clidocs.render(), f"docs/cli.md differs from --help; {REGENERATE}"
    for name in ("backup", "restore", "people add", "db downgrade", "seed", "run"):
        assert f"## `diemcau {name}`" in written


def test_deploy_md_covers_settings_commands_and_routes() -> None:
    deploy = (DOCS / "deploy.md").read_text(encoding="utf-8")
    for field in Settings.model_fields:
        if field.startswith("telegram") or field in {"whisper_model", "database_url", "data_dir"}:
            assert f"DIEMCAU_{field.upper()}" in deploy, field
    for commands in COMMANDS.values():
        for name, _description in commands:
            assert f"`/{name}`" in deploy, name
    app = init_app("sqlite+aiosqlite://", Settings(_env_file=None).tz)  # type: ignore[call-arg]
    routes = {(r.method, r.resource.canonical) for r in app.router.routes() if r.resource}
    for method, path in routes - {("HEAD", path) for _m, path in routes}:
        assert f"`{method} {path}`" in deploy, (method, path)
    for topic in ("BotFather", "443, 80, 88 or 8443", "DIEMCAU_WHISPER_MODEL=/models/", "pg_dump"):
        assert topic in deploy
    # The compose walk-through: every file it names is there.
    for name in (".env.example", "docker-compose.cuda.yml", "deploy/Caddyfile"):
        assert f"`{name}`" in deploy and (DOCS.parent / name).is_file(), name
    for topic in ("--profile seed", "--profile proxy", "DIEMCAU_METRICS_TOKEN", "bench/workers.py"):
        assert topic in deploy, topic
