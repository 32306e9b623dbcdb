"""The registry as Discord application commands: synced on start, skipped when unchanged."""

from __future__ import annotations

from pathlib import Path

from bot.core.command_rules import violations
from bot.core.commands import CommandSpec, OptionType
from tests.adapters.discord.harness import Guild, steward, write_config

DISCORD_TYPES = {
    OptionType.STRING: 3,
    OptionType.INTEGER: 4,
    OptionType.BOOLEAN: 5,
    OptionType.USER: 6,
    OptionType.CHANNEL: 7,
    OptionType.ROLE: 8,
    OptionType.NUMBER: 10,
    OptionType.ATTACHMENT: 11,
}


async def test_sync_sends_the_registry_as_groups_with_typed_options(guild: Guild, config: Path):
    async with steward(config) as running:
        registry = running.app.registry
    [(where, payload)] = guild.fake.command_syncs
    assert where == guild.fake.guild_id
    top = {command["name"]: command for command in payload}
    assert set(top) == {spec.words[0] for spec in registry}
    for spec in registry:
        command = top[spec.words[0]]
        if len(spec.words) == 2:
            [command] = [o for o in command["options"] if o["name"] == spec.words[1]]
            assert command["type"] == 1  # a subcommand
        assert command["description"] == spec.help
        options = command.get("options", [])
        assert [o["name"] for o in options] == [o.name for o in spec.options]
        for declared, sent in zip(spec.options, options, strict=True):
            assert sent["type"] == DISCORD_TYPES[declared.type], (spec.name, declared.name)
            assert sent["required"] == declared.required
            assert sent["description"] == declared.help
            choices = [c["value"] for c in sent.get("choices", [])]
            assert choices == list(declared.choices)
            assert sent.get("min_value") == declared.min_value
            assert sent.get("max_value") == declared.max_value
            assert sent.get("max_length") == declared.max_length
            if declared.type is OptionType.CHANNEL:  # text and announcement channels, threads
                assert set(sent["channel_types"]) == {0, 5, 10, 11, 12}
    calendar = next(o for o in top["calendar"]["options"] if o["name"] == "add")
    content_type = next(o for o in calendar["options"] if o["name"] == "type")
    assert len(content_type["choices"]) == 6


async def test_a_restart_with_the_same_commands_does_not_sync_again(guild: Guild, config: Path):
    async with steward(config):
        pass
    async with steward(config):
        pass
    assert len(guild.fake.command_syncs) == 1
    puts = [r for r in guild.fake.requests if r.method == "PUT" and "commands" in r.path]
    assert len(puts) == 1


async def test_without_a_guild_the_commands_are_registered_globally(guild: Guild, tmp_path):
    config = write_config(tmp_path / "steward.toml", guild.fake, tmp_path / "s.db", guild_id="")
    async with steward(config) as running:
        assert not violations(running.app.registry)
        general = guild.channel("general")
        asked = await guild.fake.slash(guild.member("bob"), general, "stats", subcommand="me")
        await asked.answered()
    [(where, payload)] = guild.fake.command_syncs
    assert where is None
    assert {c["name"] for c in payload} >= {"poll", "stats", "calendar", "help"}
    assert all(c.get("dm_permission") is False or c.get("contexts") == [0] for c in payload)


async def test_a_changed_registry_is_synced_again(guild: Guild, config: Path) -> None:
    async with steward(config):
        pass

    def with_one_more(app) -> None:
        async def hello(ctx) -> None:
            await ctx.reply("hi")

        app.registry.add(CommandSpec("hello", "say hello", hello))

    async with steward(config, with_one_more):
        pass
    assert len(guild.fake.command_syncs) == 2
    assert "hello" in {c["name"] for c in guild.fake.command_syncs[-1][1]}


async def test_commands_removed_on_discord_are_registered_again(guild: Guild, config: Path):
    async with steward(config):
        pass
    guild.fake.commands[guild.fake.guild_id] = []  # deleted elsewhere (another tool, by hand)
    async with steward(config):
        pass
    assert len(guild.fake.command_syncs) == 2


async def test_moving_from_global_to_one_guild_removes_the_global_commands(
    guild: Guild, tmp_path: Path
) -> None:
    fake = guild.fake
    db = tmp_path / "s.db"
    async with steward(write_config(tmp_path / "global.toml", fake, db, guild_id="")):
        pass
    assert fake.commands[None]
    async with steward(write_config(tmp_path / "guild.toml", fake, db)):
        pass
    assert fake.commands[None] == []
    assert {c["name"] for c in fake.commands[fake.guild_id]} >= {"poll", "stats"}
