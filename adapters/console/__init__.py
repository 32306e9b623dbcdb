"""The console adapter: a whole community in a terminal, or a script on stdin."""

from adapters.console.adapter import ConsoleAdapter

__all__ = ["ConsoleAdapter"]
