"""docker-compose.yml and the Dockerfile agree with the settings (no Docker engine here)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy.engine import make_url

from diemcau.cli import COMMANDS
from diemcau.settings import Settings

REPO = Path(__file__).resolve().parents[1]


def compose() -> dict[str, Any]:
    data = yaml.safe_load((REPO / "docker-compose.yml").read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def test_services_volumes_and_variables_agree_with_the_settings() -> None:
    data = compose()
    assert set(data["services"]) == {"db", "app", "telegram-bot-api"}
    app, db = data["services"]["app"], data["services"]["db"]
    bot_api = data["services"]["telegram-bot-api"]
    env: dict[str, str] = app["environment"]

    fields = set(Settings.model_fields)
    for name in env:
        assert name.startswith("DIEMCAU_"), name
        assert name.removeprefix("DIEMCAU_").lower() in fields, f"{name} is not a setting"

    # The database URL points at the db service, with its user, password and database.
    url = make_url(env["DIEMCAU_DATABASE_URL"].replace("${POSTGRES_PASSWORD:-diemcau}", "pw"))
    assert url.get_backend_name() == "postgresql" and url.drivername == "postgresql+psycopg"
    assert url.host == "db" and url.port == 5432
    assert url.username == db["environment"]["POSTGRES_USER"]
    assert url.database == db["environment"]["POSTGRES_DB"]
    assert app["depends_on"]["db"]["condition"] == "service_healthy"

    # The data directory and PostgreSQL's files live in named volumes.
    mounts = dict(v.split(":", 1) for v in app["volumes"])
    assert mounts[next(iter(mounts))] == env["DIEMCAU_DATA_DIR"]
    every_mount = app["volumes"] + db["volumes"] + bot_api["volumes"]
    assert set(data["volumes"]) == {v.split(":")[0] for v in every_mount}
    assert any(v.endswith(":/var/lib/postgresql/data") for v in db["volumes"])

    # The published port is the one the web server listens on, on all interfaces.
    published = [p.split(":") for p in app["ports"]]
    assert [container for _, container in published] == [env["DIEMCAU_WEB_PORT"]]
    assert env["DIEMCAU_WEB_HOST"] == "0.0.0.0"
    Settings(_env_file=None, **{k.removeprefix("DIEMCAU_").lower(): v for k, v in env.items()})  # type: ignore[call-arg]


def test_dockerfile_builds_the_packages_and_runs_existing_commands() -> None:
    dockerfile = (REPO / "Dockerfile").read_text(encoding="utf-8")
    for package in ("diemcau", "storage", "minutes", "transcribe", "bot", "web", "vnadmin"):
        assert re.search(rf"^COPY {package} \./{package}$", dockerfile, re.M), package
    cmd = re.search(r"^CMD \[(.*)\]$", dockerfile, re.M)
    assert cmd is not None
    invoked = re.findall(r"diemcau (\w+)", cmd.group(1))
    assert invoked == ["db", "run"]
    assert all(name in COMMANDS for name in invoked)
    assert "EXPOSE 8080" in dockerfile


def test_the_local_bot_api_server_is_optional_and_shares_its_files_with_the_app() -> None:
    """Off unless its profile is named; in local mode getFile answers with paths on the
    server's disk, so the app mounts the same volume at the same path (read-only)."""
    services = compose()["services"]
    bot_api, app = services["telegram-bot-api"], services["app"]
    assert bot_api["profiles"] == ["local-bot-api"]
    assert all("profiles" not in services[name] for name in ("db", "app"))
    assert bot_api["environment"]["TELEGRAM_LOCAL"] == "1"
    [(volume, path)] = [v.split(":") for v in bot_api["volumes"]]
    assert f"{volume}:{path}:ro" in app["volumes"]
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "--profile local-bot-api" in readme and "DIEMCAU_TELEGRAM_LOCAL_MODE=true" in readme
