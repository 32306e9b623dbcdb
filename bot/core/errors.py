"""Errors the core tells members about."""

from __future__ import annotations


class UsageError(Exception):
    """Bad input from a member: told privately, with how to write it; nothing is stored."""

    def __init__(self, message: str, usage: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.usage = usage

    def render(self) -> str:
        return f"{self.message}\nUsage: {self.usage}" if self.usage else self.message


class StartupError(Exception):
    """A platform cannot be joined as configured; the text is one line saying how to fix it."""
