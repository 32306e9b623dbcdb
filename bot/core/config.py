"""Configuration: read once from TOML or the embedded defaults, validated; secrets from env."""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    ValidationError,
    field_validator,
    model_validator,
)

from bot.core.business_hours import parse_business_hours
from bot.store.database import check_database_url
from bot.text.durations import parse_duration
from bot.text.emoji_names import emoji_of
from bot.text.when import WeeklyTime, WhenError, parse_weekly

DEFAULT_CONFIG_FILE = "steward.toml"


class ConfigError(Exception):
    """A configuration problem, told in one line that names the key and the file."""


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class StorageConfig(_Section):
    url: str = "sqlite:///steward.db"

    @field_validator("url")
    @classmethod
    def _database_url(cls, value: str) -> str:
        check_database_url(value)
        return value


class CommunityConfig(_Section):
    name: str = "our community"
    timezone: str = "UTC"

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(
                f"unknown time zone {value!r} (use an IANA name like Europe/Berlin)"
            ) from None
        return value

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


class PrivacyConfig(_Section):
    store_message_text: bool = False
    retention_days: int = Field(default=90, ge=1, le=36_500)  # inquiry text after it settles


class DiscordConfig(_Section):
    enabled: bool = False
    token: SecretStr = SecretStr("")
    guild_id: str = ""
    admin_channel: str = "managers"
    digest_channel: str = ""
    manager_role: str = "Community Manager"
    api_base_url: str = "https://discord.com/api/v10"
    gateway_url: str = "wss://gateway.discord.gg"


class SlackConfig(_Section):
    enabled: bool = False
    bot_token: SecretStr = SecretStr("")
    signing_secret: SecretStr = SecretStr("")
    app_token: SecretStr = SecretStr("")
    mode: Literal["http", "socket"] = "http"
    port: int = Field(default=3000, ge=0, le=65535)
    api_base_url: str = "https://slack.com/api/"
    admin_channel: str = "managers"
    digest_channel: str = ""
    managers: tuple[str, ...] = ()  # Slack user ids
    manager_group: str = ""  # a user group (handle, name or id) whose members are managers
    command_prefix: str = ""  # put before every slash command name (`sw-` gives `/sw-poll`)


class ConsoleConfig(_Section):
    channels: tuple[str, ...] = ("general", "help", "announcements", "managers")
    admin_channel: str = "managers"
    member: str = "you"

    @field_validator("channels")
    @classmethod
    def _some_channels(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if not value or not all(name.strip() for name in value):
            raise ValueError("the console needs at least one channel, each with a name")
        return value


QUESTION_WORDS = (
    "how", "what", "why", "where", "when", "who", "which", "can", "could", "does", "do",
    "is", "are", "should", "anyone", "any idea", "help",
)  # fmt: skip


class InquiriesConfig(_Section):
    sla_minutes: int = Field(default=60, ge=1, le=525_600)
    help_channels: tuple[str, ...] = ("help",)  # names or ids
    business_hours: str = ""  # "" counts every minute; "mon-fri 09:00-17:00"
    question_words: tuple[str, ...] = QUESTION_WORDS
    answer_reaction: str = ""  # a manager's reaction that answers and resolves ("✅")
    dismiss_reaction: str = ""  # a manager's reaction that marks "not a question" ("🚫")

    @field_validator("business_hours")
    @classmethod
    def _hours(cls, value: str) -> str:
        try:
            parse_business_hours(value)
        except ValueError as exc:
            raise ValueError(str(exc).removeprefix("business_hours: ")) from None
        return value

    @field_validator("answer_reaction", "dismiss_reaction")
    @classmethod
    def _emoji(cls, value: str) -> str:
        return emoji_of(value.strip())

    @model_validator(mode="after")
    def _two_reactions(self) -> InquiriesConfig:
        if self.answer_reaction and self.answer_reaction == self.dismiss_reaction:
            raise ValueError(
                "answer_reaction and dismiss_reaction must differ "
                f"(both are {self.answer_reaction!r})"
            )
        return self

    @field_validator("question_words")
    @classmethod
    def _words(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        words = tuple(" ".join(word.lower().split()) for word in value)
        if not all(words):
            raise ValueError("a question word cannot be blank")
        return words


class DigestConfig(_Section):
    schedule: str = "mon 09:00"  # weekly, in the community time zone
    channels: tuple[str, ...] = ()  # names or ids, on every platform; none: the managers'

    @field_validator("schedule")
    @classmethod
    def _weekly(cls, value: str) -> str:
        try:
            parse_weekly(value)
        except WhenError as exc:
            raise ValueError(str(exc)) from None
        return value

    @property
    def weekly(self) -> WeeklyTime:
        return parse_weekly(self.schedule)


class CalendarConfig(_Section):
    misfire_grace: str = "1h"
    heads_up: str = "15m"

    @field_validator("misfire_grace", "heads_up")
    @classmethod
    def _duration(cls, value: str) -> str:
        parse_duration(value)
        return value

    @property
    def misfire_grace_delta(self) -> timedelta:
        return parse_duration(self.misfire_grace)

    @property
    def heads_up_delta(self) -> timedelta:
        return parse_duration(self.heads_up)


class LoggingConfig(_Section):
    level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"


class Settings(_Section):
    """Everything Steward reads from its configuration, with every default in one place."""

    storage: StorageConfig = StorageConfig()
    community: CommunityConfig = CommunityConfig()
    privacy: PrivacyConfig = PrivacyConfig()
    discord: DiscordConfig = DiscordConfig()
    slack: SlackConfig = SlackConfig()
    console: ConsoleConfig = ConsoleConfig()
    inquiries: InquiriesConfig = InquiriesConfig()
    digest: DigestConfig = DigestConfig()
    calendar: CalendarConfig = CalendarConfig()
    logging: LoggingConfig = LoggingConfig()

    def replace(self, **sections: object) -> Settings:
        """A copy with some sections replaced (tests and the CLI use it)."""
        return self.model_copy(update=sections)

    def enabled_platforms(self) -> list[str]:
        """The chat platforms turned on (`[discord]`, `[slack]` `enabled = true`), in that order."""
        return [name for name in PLATFORMS if getattr(self, name).enabled]


PLATFORMS = ("discord", "slack")  # the chat platforms a configuration can enable


# environment variable -> (section, key); the environment wins over the file.
SECRET_ENV = {
    "DISCORD_TOKEN": ("discord", "token"),
    "SLACK_BOT_TOKEN": ("slack", "bot_token"),
    "SLACK_SIGNING_SECRET": ("slack", "signing_secret"),
    "SLACK_APP_TOKEN": ("slack", "app_token"),
}


SECRET_KEYS = {key for _, key in SECRET_ENV.values()}
_NOT_ECHOED = SECRET_KEYS | {"url"}  # a database URL may hold a password; its check redacts it


def load_settings(path: Path | None = None, env: Mapping[str, str] | None = None) -> Settings:
    """Load and validate settings from `path` (or defaults) and the environment.

    Raises ConfigError with one line naming the key and the file.
    """
    env = os.environ if env is None else env
    source = str(path) if path else "the built-in defaults"
    raw = _read_toml(path) if path else {}
    for variable, (section, key) in SECRET_ENV.items():
        if env.get(variable):
            raw.setdefault(section, {})
            if not isinstance(raw[section], dict):
                raise ConfigError(f"{source}: [{section}] must be a table")
            raw[section][key] = env[variable]
    try:
        settings = Settings.model_validate(raw)
    except ValidationError as exc:
        raise ConfigError(f"{source}: {_describe(exc)}") from None
    _check_platform_secrets(settings, source)
    return settings


def find_config(explicit: Path | None) -> Path | None:
    """The config file to use: the one given, else ./steward.toml when present, else none."""
    if explicit is not None:
        if not explicit.is_file():
            raise ConfigError(f"{explicit}: no such configuration file")
        return explicit
    default = Path(DEFAULT_CONFIG_FILE)
    return default if default.is_file() else None


def _read_toml(path: Path) -> dict:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such configuration file") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML ({exc})") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read it ({exc})") from None


def _describe(exc: ValidationError) -> str:
    error = exc.errors()[0]
    loc = [str(part) for part in error["loc"]]
    key = ".".join(loc) or "(top level)"
    if error["type"] == "extra_forbidden":
        section = ".".join(loc[:-1])
        where = f" in [{section}]" if section else ""
        return f"unknown key {key!r}{where}; see config.example.toml for the keys"
    message = error["msg"].removeprefix("Value error, ")
    given = error.get("input")
    secret = loc[-1] in _NOT_ECHOED if loc else False
    shown = "" if secret or isinstance(given, dict | SecretStr) else f" (got {given!r})"
    return f"{key}: {message}{shown}"


def _check_platform_secrets(settings: Settings, source: str) -> None:
    needs = {
        "discord": [("token", "DISCORD_TOKEN")],
        "slack": [("bot_token", "SLACK_BOT_TOKEN"), ("signing_secret", "SLACK_SIGNING_SECRET")],
    }
    if settings.slack.mode == "socket":
        needs["slack"] = [("bot_token", "SLACK_BOT_TOKEN"), ("app_token", "SLACK_APP_TOKEN")]
    for platform, keys in needs.items():
        section = getattr(settings, platform)
        if not section.enabled:
            continue
        for key, variable in keys:
            if not getattr(section, key).get_secret_value():
                raise ConfigError(
                    f"{source}: {platform}.{key} is required when {platform}.enabled = true "
                    f"(set {variable} in the environment or {key} in [{platform}])"
                )
