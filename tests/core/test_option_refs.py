"""Channel, user and role options reach a handler as refs (platform id and display name),
whether the platform typed them (Discord) or a member wrote them (Slack text, the console)."""

import pytest
from sqlmodel import func, select

from bot.core.commands import Option, OptionType
from bot.core.context import CommandContext
from bot.core.errors import UsageError
from bot.core.events import ChannelRef, MemberRef, RoleRef
from bot.core.option_refs import resolve_refs
from bot.store.models import Interaction
from tests.conftest import Community
from tests.recording import Recorded

USAGE = "Usage: /probe where:<channel> [who:<user>] [role:<role>]"


def install_probe(app) -> list[dict]:
    """A command taking a channel, a member and a role; returns the options each run got."""
    seen: list[dict] = []

    async def probe(ctx: CommandContext) -> None:
        seen.append(dict(ctx.options))
        await ctx.reply("ok")

    app.registry.command(
        "probe",
        "Show what the options resolved to.",
        Option("where", OptionType.CHANNEL, "a channel", required=True),
        Option("who", OptionType.USER, "a member"),
        Option("role", OptionType.ROLE, "a role"),
    )(probe)
    return seen


async def test_typed_refs_from_the_platform_pass_through(recorded: Recorded) -> None:
    seen = install_probe(recorded.app)
    help_ = recorded.channel("help")
    bob = recorded.member("bob")
    mods = RoleRef(recorded.adapter.platform, "R77", "mods")
    said = await recorded.invoke("probe", where=help_, who=bob, role=mods)
    assert said.told("you") == ["ok"]
    assert seen == [{"where": help_, "who": bob, "role": mods}]


@pytest.mark.parametrize(
    ("where", "who", "role"),
    [
        ("#help", "@bob", "@manager"),
        ("help", "bob", "manager"),
        ("<#C02|help>", "<@U001|bob>", "<@&R01>"),
        ("<#C02>", "<@U001>", "<!subteam^R01|@manager>"),
        ("C02", "U001", "R01"),
    ],
)
async def test_text_names_mentions_and_ids_are_looked_up(
    recorded: Recorded, where: str, who: str, role: str
) -> None:
    await recorded.post("hello", by="bob")  # bob is U001, a member the platform has seen
    seen = install_probe(recorded.app)
    said = await recorded.command(f'/probe where:"{where}" who:"{who}" role:"{role}"')
    assert said.told("you") == ["ok"]
    [options] = seen
    assert options["where"] == recorded.channel("help")
    assert (options["who"].user_id, options["who"].name) == ("U001", "bob")
    assert options["role"] == RoleRef(recorded.adapter.platform, "R01", "manager")


async def test_a_typed_option_given_as_text_is_looked_up_too(recorded: Recorded) -> None:
    seen = install_probe(recorded.app)
    await recorded.invoke("probe", where="announcements", who="")
    assert seen == [{"where": recorded.channel("announcements")}]  # an empty one is left out


@pytest.mark.parametrize(
    ("options", "refusal"),
    [
        (
            "where:#nowhere",
            "`where`: there is no channel #nowhere. "
            "Channels: #announcements, #general, #help, #managers.",
        ),
        (
            'where:"<#C99|lost>"',
            "`where`: there is no channel #lost. "
            "Channels: #announcements, #general, #help, #managers.",
        ),
        ("where:help who:@zed", "`who`: there is no member @zed."),
        ("where:help role:@mods", "`role`: there is no role @mods. Roles: @Verified, @manager."),
        ('where:"   "', "`where` cannot be empty."),
    ],
)
async def test_an_unknown_ref_is_refused_naming_the_option(
    recorded: Recorded, options: str, refusal: str
) -> None:
    seen = install_probe(recorded.app)
    said = await recorded.command(f"/probe {options}")
    assert said.told("you") == [f"{refusal}\n{USAGE}"]
    assert seen == [] and _logged(recorded) == 0  # a refused command is not stored


async def test_a_ref_of_the_wrong_kind_is_refused(recorded: Recorded) -> None:
    seen = install_probe(recorded.app)
    said = await recorded.invoke("probe", where=recorded.member("bob"))
    assert said.told("you") == [f"`where` must be a channel.\n{USAGE}"]
    assert seen == []


async def test_a_platform_that_cannot_look_members_up_says_so(recorded: Recorded) -> None:
    install_probe(recorded.app)
    spec = recorded.app.registry.get("probe")
    with pytest.raises(UsageError) as caught:
        await resolve_refs(object(), spec, {"who": "@bob"})  # an adapter without find_member
    assert caught.value.message == (
        "`who` takes a member, and members cannot be looked up here by name."
    )


@pytest.mark.parametrize(
    ("command", "named", "picked"),
    [
        (
            "survey create",
            {"title": "Food", "questions": "Best snack?"},
            {"title": "Drinks", "questions": "Best drink?"},
        ),
        (
            "contest create",
            {"title": "Best photo", "closes": "2d"},
            {"title": "Best poem", "closes": "2d"},
        ),
    ],
)
async def test_features_get_the_channel_a_manager_named(
    recorded: Recorded, command: str, named: dict[str, str], picked: dict[str, str]
) -> None:
    """A survey or contest posted in a channel given as a mention, and one given as a
    Discord ref."""
    recorded.manager("mia")
    tag = command.split()[0]
    words = " ".join(f'{key}:"{value}"' for key, value in named.items())
    said = await recorded.command(
        f'/{command} {words} channel:"<#C02|help>"', by="mia", in_="managers"
    )
    assert [p.channel.name for p in said.public(tag=tag)] == ["help"]
    said = await recorded.invoke(
        command, by="mia", in_="managers", **picked, channel=recorded.channel("announcements")
    )
    assert [p.channel.name for p in said.public(tag=tag)] == ["announcements"]


async def test_the_console_looks_up_members_and_roles(community: Community) -> None:
    seen = install_probe(community.app)
    out = await community.run("/probe where:#help who:@bob role:manager")
    assert "Steward → you (private): ok" in out
    [options] = seen
    assert options["where"] == ChannelRef("console", "help", "help")
    assert options["who"] == MemberRef("console", "bob", "bob")
    assert options["role"] == RoleRef("console", "manager", "manager")
    out = await community.run("/probe where:#attic")
    assert "`where`: there is no channel #attic. Channels: #" in out


def _logged(recorded: Recorded) -> int:
    return recorded.app.store.call(
        lambda s: s.exec(select(func.count()).select_from(Interaction)).one()
    )
