"""Configuration from the environment (prefix ``DIEMCAU_``) and an optional ``.env`` file."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


def default_data_dir() -> Path:
    """The per-user data directory (XDG Base Directory): ``$XDG_DATA_HOME/diemcau``, else
    ``~/.local/share/diemcau``; never the current directory, so a command run anywhere
    leaves no database or 150 MB model behind it. ``make demo`` sets ``var/`` explicitly."""
    xdg = os.environ.get("XDG_DATA_HOME", "")
    base = Path(xdg) if xdg and Path(xdg).is_absolute() else Path.home() / ".local" / "share"
    return base / "diemcau"


class Settings(BaseSettings):
    """Every knob the processes read. Documented, one line each, in the README table."""

    model_config = SettingsConfigDict(
        env_prefix="DIEMCAU_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    data_dir: Path = Field(default_factory=default_data_dir)
    database_url: str = ""
    timezone: str = "Asia/Ho_Chi_Minh"
    telegram_token: str = ""
    telegram_base_url: str = "https://api.telegram.org/bot"
    # A local Bot API server (telegram-bot-api --local): files to 2 GB, handed over by path.
    telegram_local_mode: bool = False
    telegram_webhook_secret: str = ""
    telegram_webhook_url: str = ""  # public https URL of /telegram/webhook; empty: polling
    telegram_bot_username: str = ""  # for invitation links t.me/<username>?start=<code>
    whisper_model: str = "base"
    web_host: str = "127.0.0.1"
    web_port: int = 8080
    web_public_url: str = ""  # address in sign-in links from /web; empty: http://host:port
    metrics_token: str = ""  # bearer token for /metrics; empty: no metrics served
    web_upload_max_bytes: int = 8 * 2**30  # largest recording uploaded from the meeting page

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        # Better to refuse an unknown zone at start-up than to send reminders at the wrong hour.
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise ValueError(f"unknown time zone {value!r}") from error
        return value

    @property
    def effective_database_url(self) -> str:
        """The configured URL, or the embedded default: an SQLite file under the data dir."""
        if self.database_url:
            return self.database_url
        return f"sqlite+aiosqlite:///{(self.data_dir / 'diemcau.db').as_posix()}"

    @property
    def telegram_file_url(self) -> str:
        """Bot API file base that goes with ``telegram_base_url`` (".../bot" -> ".../file/bot")."""
        base = self.telegram_base_url.rstrip("/")
        head, _, tail = base.rpartition("/")
        return f"{head}/file/{tail}"

    @property
    def max_download_bytes(self) -> int | None:
        """Telegram's own servers hand bots files of at most 20 MB; a local server in local
        mode has no cap of its own (Telegram clients send at most 2 GB, 4 GB with Premium)."""
        return None if self.telegram_local_mode else 20 * 1024 * 1024

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
