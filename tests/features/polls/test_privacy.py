"""Who voted what: anonymous polls reveal it nowhere; members can be exported and forgotten."""

from __future__ import annotations

import json
import logging

import pytest
from sqlmodel import select

from bot.features.polls.store import Poll, PollVote
from bot.store.models import Interaction, Member
from tests.recording import Posted, Recorded

VOTERS = ("alice", "bob", "carol")


def everything_shown(posts: list[Posted], except_to: tuple[str, ...] = ()) -> list[str]:
    """Every version of every message Steward sent (text, sections, buttons), leaving out
    private replies to some members."""
    return [
        "\n".join([version.plain_text(), *(b.label for b in version.buttons)])
        for posted in posts
        if posted.private_to is None or posted.private_to.name not in except_to
        for version in posted.versions
    ]


async def member_id(recorded: Recorded, name: str) -> int:
    def find(session) -> int:
        return session.exec(select(Member.id).where(Member.name == name)).one()

    return await recorded.app.store.run(find)


async def test_anonymous_poll_never_reveals_who_voted_what(
    recorded: Recorded, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    said = await recorded.command(
        '/poll create question:"Best AMA day?" options:"Mon | Wed | Fri" anonymous:true'
    )
    [poll] = said.public("poll")
    for voter, choice in (("alice", "Mon"), ("bob", "Wed"), ("bob", "Fri"), ("carol", "Mon")):
        await recorded.click(poll, choice, by=voter)
    [author] = (await recorded.command("/poll results id:1")).told("you")
    recorded.manager("mia")
    [manager] = (await recorded.command("/poll results id:1", by="mia")).told("mia")
    [results] = (await recorded.advance("1d")).public("poll")

    assert poll.versions[0].sections[0].title == "Poll 1 · single choice · anonymous"
    assert "Winner: Mon (2 votes)" in results.plain
    assert author.startswith("Poll 1") and manager.startswith("Poll 1")
    secret = VOTERS + tuple(recorded.member(voter).user_id for voter in VOTERS)
    shown = everything_shown(recorded.posts, except_to=VOTERS)
    assert len(shown) >= 5  # the poll and its edits, both replies, the results
    for message in shown:
        assert not any(word in message for word in secret), message
    assert not any(word in caplog.text for word in secret)

    votes = recorded.app.store.call(lambda s: list(s.exec(select(PollVote))))
    assert len(votes) == 3 and all(v.member_id is None for v in votes)
    details = recorded.app.store.call(
        lambda s: list(s.exec(select(Interaction.detail).where(Interaction.kind == "button")))
    )
    assert details == ["poll:vote:1"] * 4  # every click is engagement; none says which option
    [stored] = recorded.app.store.call(lambda s: list(s.exec(select(Poll))))
    assert stored.salt is None  # no voter hash can be recomputed once the poll is closed

    alice = await member_id(recorded, "alice")
    export = await recorded.app.store.run(recorded.app.privacy.export, alice)
    assert export["polls"] == {"polls_created": [], "poll_votes": []}
    assert "poll:vote:1:" not in json.dumps(export)


async def test_vote_rows_do_not_keep_the_order_of_the_clicks(recorded: Recorded) -> None:
    said = await recorded.command('/poll create question:Order? options:"a | b" anonymous:true')
    [poll] = said.public("poll")
    clicks = "ab" * 20
    for n, option in enumerate(clicks):
        await recorded.click(poll, option, by=f"v{n}")
    rows = recorded.app.store.call(
        lambda s: list(s.exec(select(PollVote.id, PollVote.option_index).order_by(PollVote.id)))
    )
    # random ids: neither the ids nor the table's order line up with the interaction log's
    assert len(rows) == 40 and min(vote_id for vote_id, _ in rows) > 2**20
    assert "".join("ab"[index] for _, index in rows) != clicks


async def test_named_voters_only_for_the_author_and_managers(recorded: Recorded) -> None:
    said = await recorded.command('/poll create question:"Best day?" options:"Mon | Wed"')
    [poll] = said.public("poll")
    await recorded.click(poll, "Wed", by="bob")
    [reply] = (await recorded.command("/poll results id:1", by="bob")).told("bob")
    assert reply.startswith("Poll 1") and "Who voted" not in reply
    [reply] = (await recorded.command("/poll results id:1")).told("you")
    assert "\nWho voted\n" in reply and "Wed: bob" in reply
    said = await recorded.advance("1d")
    [results] = said.public("poll")
    assert "Wed: ██████████ 1 · 100%" in results.plain  # the public results count,
    assert all("bob" not in message for message in everything_shown(said))  # they do not name


async def test_forget_removes_named_votes_and_keeps_anonymous_ones(
    recorded: Recorded,
) -> None:
    [named] = (await recorded.command('/poll create question:Named? options:"a | b"')).public()
    said = await recorded.command('/poll create question:Secret? options:"a | b" anonymous:true')
    [secret] = said.public()
    await recorded.click(named, "b", by="bob")
    await recorded.click(secret, "b", by="bob")
    await recorded.command('/poll create question:Mine? options:"x | y"', by="bob")
    app = recorded.app
    bob = await member_id(recorded, "bob")

    export = await app.store.run(app.privacy.export, bob)
    assert export["polls"]["poll_votes"] == [{"poll": 1, "question": "Named?", "option": "b"}]
    assert [p["question"] for p in export["polls"]["polls_created"]] == ["Mine?"]

    await app.store.run(app.privacy.forget, bob)
    app.directory.forget_member(recorded.adapter.platform, recorded.member("bob").user_id)
    [named_now] = (await recorded.command("/poll results id:1")).told("you")
    [secret_now] = (await recorded.command("/poll results id:2")).told("you")
    assert "b: ░░░░░░░░░░ 0 · 0%" in named_now and "bob" not in named_now
    assert "b: ██████████ 1 · 100%" in secret_now
    polls = app.store.call(lambda s: {p.question: p.created_by for p in s.exec(select(Poll))})
    assert polls["(removed at the author's request)"] is None


async def test_forgetting_a_voter_updates_the_open_poll_at_once(recorded: Recorded) -> None:
    [poll] = (
        await recorded.command('/poll create question:"Lunch?" options:"Pizza | Soup"')
    ).public()
    await recorded.click(poll, "Pizza", by="bob")
    await recorded.click(poll, "Pizza", by="carol")
    await recorded.advance("2s")
    assert poll.labels[0] == "Pizza · 2"
    await recorded.command("/privacy forget confirm:true", by="bob")
    await recorded.advance("2s")
    assert poll.labels[0] == "Pizza · 1"
    assert "1 voter" in poll.plain
