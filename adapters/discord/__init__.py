"""The Discord adapter (discord.py): a guild in, neutral events out, and back."""

from adapters.discord.adapter import DiscordAdapter

__all__ = ["DiscordAdapter"]
