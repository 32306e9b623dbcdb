"""The Discord adapter (discord.py): a guild in, neutral events out, and back
(`adapters.discord.adapter.DiscordAdapter`; the DiscordChatExporter reader needs none of it)."""
