"""Commands through the console: /help per member and place, refusals that store nothing."""

from sqlmodel import func, select, text

from bot.core.commands import Access, Option
from bot.core.events import CommandInvoked
from bot.store.models import Interaction, Member
from tests.conftest import Community


def add_manager_command(community: Community) -> list[dict]:
    calls: list[dict] = []

    async def handler(ctx) -> None:
        calls.append(ctx.options)
        await ctx.reply("done")

    community.app.registry.command(
        "trial preview",
        "Preview the trial.",
        Option("days", required=False),
        access=Access.MANAGER,
    )(handler)
    return calls


async def test_help_lists_only_what_this_member_may_run_here(community: Community) -> None:
    add_manager_command(community)
    out = await community.run("/help")
    assert "`/stats me`" in out and "/trial preview" not in out
    out = await community.run(":as mia manager\n/help")
    assert "/trial preview" not in out
    assert "manager commands work in #managers" in out
    out = await community.run(":in managers\n/help")
    assert "`/trial preview [days:<string>]` — Preview the trial." in out


async def test_manager_command_refused_with_reason_and_usage(community: Community) -> None:
    calls = add_manager_command(community)
    out = await community.run("/trial preview")
    assert "Steward → you (private): `/trial preview` is for community managers." in out
    assert "Usage: /trial preview [days:<string>]" in out
    out = await community.run(":as mia manager\n/trial preview")
    assert "works only in the managers' channel" in out
    out = await community.run(":in managers\n/trial preview days:7")
    assert "Steward → mia (private): done" in out
    assert calls == [{"days": "7"}]


async def test_unknown_command_and_bad_option_change_nothing(community: Community) -> None:
    out = await community.run("/stats you")
    assert "`/stats you` is not a command. Did you mean: /stats me, /stats members?" in out
    out = await community.run('/stats me "oops')
    assert "private" in out and "Usage: /stats me" in out


async def test_a_handler_crash_is_apologised_for_without_traceback(community: Community) -> None:
    async def broken(ctx) -> None:
        raise KeyError("internal detail")

    community.app.registry.command("explode", "Fails.")(broken)
    out = await community.run("/explode")
    assert "something went wrong on our side and nothing was changed" in out
    assert "KeyError" not in out and "internal detail" not in out
    count = community.app.store.call(
        lambda s: s.exec(select(func.count()).select_from(Interaction)).one()
    )
    assert count == 1  # the command itself is in the log


async def test_help_explains_one_command(community: Community) -> None:
    add_manager_command(community)
    out = await community.run("/help stats")
    assert "Help for /stats" in out and "== /stats me ==" in out
    out = await community.run("/help trial")
    assert "== /trial preview [days:<string>] ==" in out
    assert "(`/trial preview` is for community managers.)" in out
    out = await community.run("/help command:nothing")
    assert "There is no command `/nothing`" in out


async def test_the_log_records_the_full_command_name(community: Community) -> None:
    await community.run("/stats me\n/help stats\n/nonsense here")
    assert _logged(community) == ["stats me", "help"]  # a refused command is not logged


async def test_file_inside_quoted_text_is_text_not_an_attachment(community: Community) -> None:
    out = await community.run('/feedback text:"the file:report page is broken"')
    assert "cannot read that file" not in out
    assert "Thank you for your feedback" in out
    texts = community.app.store.call(
        lambda s: [row[0] for row in s.exec(text("SELECT text FROM feedback")).all()]
    )
    assert texts == ["the file:report page is broken"]


async def test_an_unquoted_file_option_is_an_attachment(community: Community, tmp_path) -> None:
    seen: list[tuple[str, bytes, dict]] = []

    async def handler(ctx) -> None:
        seen.extend((a.filename, a.data, ctx.options) for a in ctx.event.attachments)

    community.app.registry.command("upload", "Take a file.", Option("note"))(handler)
    (tmp_path / "my notes.txt").write_bytes(b"hello")
    await community.run(f'/upload note:"see file:x" file:"{tmp_path / "my notes.txt"}"')
    assert seen == [("my notes.txt", b"hello", {"note": "see file:x"})]


def _logged(community: Community) -> list[str]:
    return community.app.store.call(
        lambda s: [i.detail for i in s.exec(select(Interaction).order_by(Interaction.id))]
    )


async def test_refused_commands_store_nothing_and_count_no_day(community: Community) -> None:
    out = await community.run(
        """
/nonsense
/poll create question:"x"
/poll results id:0
/calendar list
:advance 1d
/stats me
"""
    )
    assert out.count("(private)") == 5  # four refusals, each saying why, and the stats
    assert "is for community managers" in out and "needs `options`" in out
    assert "Days active: 1 · 1" in out
    assert _logged(community) == ["stats me"]
    members = community.app.store.call(
        lambda s: s.exec(select(func.count()).select_from(Member)).one()
    )
    assert members == 1


async def test_a_repeated_event_id_is_answered_once(community: Community) -> None:
    adapter = community.adapter
    base = adapter._base()
    refused = CommandInvoked(**base, name="nonsense", text="")
    await community.app.handle(refused)
    await community.app.handle(refused)
    ran = CommandInvoked(**adapter._base(), name="stats", text="me")
    await community.app.handle(ran)
    await community.app.handle(ran)
    out = community.new_output()
    assert out.count("`/nonsense` is not a command") == 1
    assert out.count("Your engagement, you") == 1
    assert _logged(community) == ["stats me"]


async def test_a_huge_unknown_command_name_is_cut_when_echoed(community: Community) -> None:
    out = await community.run("/" + "x" * 50_000)
    reply = next(line for line in out.splitlines() if "Steward → you (private)" in line)
    assert f"`/{'x' * 39}…` is not a command" in reply
    assert len(reply) < 150


async def test_help_takes_a_command_name_quoted_or_not(community: Community) -> None:
    for line in ('/help "poll create"', "/help poll create", "/help “/poll  create”"):
        out = await community.run(line)
        assert "Help for /poll create" in out, line
        assert "== /poll create question:<string> options:<string>" in out, line
