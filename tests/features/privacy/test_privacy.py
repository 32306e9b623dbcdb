"""`/privacy export` and `/privacy forget` as a member sees them."""

import json

from sqlmodel import select

from bot.store.models import Interaction, Member
from tests.conftest import Community


def _export_json(out: str) -> dict:
    start = out.index("[file steward-export-console-")
    body = out[out.index("\n", start) + 1 :]
    lines = [line[4:] for line in body.splitlines()]  # the console indents message bodies
    return json.loads("\n".join(lines))


async def test_export_gives_the_member_their_own_data(community: Community) -> None:
    await community.run("hello\n:as bob\n:reply 1 nice\n:react 1 👍\n:as you")
    out = await community.run("/privacy export")
    assert "Steward → you (private): Here is everything Steward keeps about you" in out
    data = _export_json(out)
    assert data["member"]["name"] == "you"
    assert [i["kind"] for i in data["interactions"]] == ["message", "command"]
    assert all(i["text"] is None for i in data["interactions"])  # text is not stored by default


async def test_forget_asks_first_then_erases(community: Community) -> None:
    await community.run("hello\n:as bob\n:reply 1 nice\n:react 1 👍")
    out = await community.run("/privacy forget")
    assert "It cannot be undone" in out and "/privacy forget confirm:true" in out
    assert _names(community) == {"you", "bob"}
    out = await community.run("/privacy forget confirm:true")
    assert "Steward no longer holds anything about you" in out
    assert _names(community) == {"you"}
    kinds = community.app.store.call(
        lambda s: [(i.kind, i.target_member_id) for i in s.exec(select(Interaction))]
    )
    assert kinds == [("message", None)]  # you's message stays; nothing of bob's remains
    out = await community.run("/stats me")
    assert "Replies: 0 · 0" in out and "Reactions given: 0 · 0" in out


def _names(community: Community) -> set[str]:
    return community.app.store.call(lambda s: {m.name for m in s.exec(select(Member))})
