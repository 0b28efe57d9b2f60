"""Commands run anywhere leave nothing in the current directory: the data directory defaults
to the per-user XDG location."""

from __future__ import annotations

from pathlib import Path

import pytest

from diemcau.settings import Settings
from tests.ops.processes import clean_env, diemcau


def test_the_default_data_dir_follows_xdg(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("DIEMCAU_DATA_DIR", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert settings.data_dir == tmp_path / "home" / ".local" / "share" / "diemcau"
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert Settings(_env_file=None).data_dir == tmp_path / "xdg" / "diemcau"  # type: ignore[call-arg]
    monkeypatch.setenv("XDG_DATA_HOME", "relative/ignored")  # the spec says: ignore it
    assert Settings(_env_file=None).data_dir == tmp_path / "home" / ".local" / "share" / "diemcau"  # type: ignore[call-arg]


def test_commands_leave_the_current_directory_alone(tmp_path: Path) -> None:
    cwd = tmp_path / "somewhere"
    cwd.mkdir()
    home = tmp_path / "home"
    env = clean_env(HOME=str(home))
    env.pop("XDG_DATA_HOME", None)
    for command in (["db", "upgrade"], ["db", "current"]):
        result = diemcau(*command, cwd=cwd, env=env, timeout=60)
        assert result.returncode == 0, result.stderr
    assert list(cwd.iterdir()) == []
    assert (home / ".local" / "share" / "diemcau" / "diemcau.db").is_file()
