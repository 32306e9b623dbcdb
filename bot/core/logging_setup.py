"""Logging to stderr, with every configured secret redacted from every record."""

from __future__ import annotations

import logging
import sys

from bot.core.config import Settings

REDACTED = "[redacted]"


class RedactSecrets(logging.Filter):
    """Replaces any secret value that reaches a log record with a placeholder."""

    def __init__(self, secrets: list[str]) -> None:
        super().__init__()
        self.secrets = [s for s in secrets if len(s) >= 4]

    def filter(self, record: logging.LogRecord) -> bool:
        if not self.secrets:
            return True
        message = record.getMessage()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        for secret in self.secrets:
            message = message.replace(secret, REDACTED)
            if record.exc_text:
                record.exc_text = record.exc_text.replace(secret, REDACTED)
        record.msg, record.args = message, None
        return True


def secret_values(settings: Settings) -> list[str]:
    return [
        settings.discord.token.get_secret_value(),
        settings.slack.bot_token.get_secret_value(),
        settings.slack.signing_secret.get_secret_value(),
        settings.slack.app_token.get_secret_value(),
    ]


def configure_logging(settings: Settings, level: str | None = None) -> None:
    """Send logs to stderr at the configured level, secrets redacted."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactSecrets(secret_values(settings)))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level or settings.logging.level)
    for chatty in ("alembic", "apscheduler"):
        logging.getLogger(chatty).setLevel(max(root.level, logging.WARNING))
