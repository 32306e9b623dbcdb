"""Who voted what: anonymous polls reveal it nowhere; members can be exported and forgotten."""

from __future__ import annotations

import json
import logging
import re

import pytest
from sqlmodel import select

from bot.features.polls.store import Poll, PollVote
from bot.store.models import Interaction, Member
from tests.conftest import Community

VOTERS = ("alice", "bob", "carol")


def steward_messages(out: str, except_to: tuple[str, ...] = ()) -> list[str]:
    """Every message Steward printed (header and body), leaving out private replies to some."""
    messages: list[list[str]] = []
    for line in out.splitlines():
        if re.match(r"#\d+( \(edited\))? \[\w+\] Steward", line):
            messages.append([line])
        elif messages and line.startswith("    ") and messages[-1][-1] is not None:
            messages[-1].append(line)
        elif messages:
            messages[-1].append(None)  # the message ended
    texts = ["\n".join(line for line in m if line is not None) for m in messages]
    return [t for t in texts if not any(f"Steward → {n} (private)" in t for n in except_to)]


async def member_id(community: Community, name: str) -> int:
    def find(session) -> int:
        return session.exec(select(Member.id).where(Member.name == name)).one()

    return await community.app.store.run(find)


async def test_anonymous_poll_never_reveals_who_voted_what(
    community: Community, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    out = await community.run(
        '/poll create question:"Best AMA day?" options:"Mon | Wed | Fri" anonymous:true'
    )
    out += await community.run(
        ":as alice\n:click 2 Mon\n:as bob\n:click 2 Wed\n:click 2 Fri\n:as carol\n:click 2 Mon"
    )
    out += await community.run(":as you\n/poll results id:1\n:as mia manager\n/poll results id:1")
    out += await community.run(":advance 1d")

    assert "Poll 1 · single choice · anonymous" in out
    assert "Winner: Mon (2 votes)" in out
    shown = steward_messages(out, except_to=VOTERS)
    assert any("Steward → you (private): Poll 1" in m for m in shown)
    assert any("Steward → mia (private): Poll 1" in m for m in shown)
    for message in shown:
        assert not any(voter in message for voter in VOTERS), message
    assert not any(voter in caplog.text for voter in VOTERS)

    votes = community.app.store.call(lambda s: list(s.exec(select(PollVote))))
    assert len(votes) == 3 and all(v.member_id is None for v in votes)
    details = community.app.store.call(
        lambda s: list(s.exec(select(Interaction.detail).where(Interaction.kind == "button")))
    )
    assert details == ["poll:vote:1"] * 4  # every click is engagement; none says which option
    [poll] = community.app.store.call(lambda s: list(s.exec(select(Poll))))
    assert poll.salt is None  # no voter hash can be recomputed once the poll is closed

    alice = await member_id(community, "alice")
    export = await community.app.store.run(community.app.privacy.export, alice)
    assert export["polls"] == {"polls_created": [], "poll_votes": []}
    assert "poll:vote:1:" not in json.dumps(export)


async def test_vote_rows_do_not_keep_the_order_of_the_clicks(community: Community) -> None:
    await community.run('/poll create question:Order? options:"a | b" anonymous:true')
    clicks = "ab" * 20
    await community.run("\n".join(f":as v{n}\n:click 2 {o}" for n, o in enumerate(clicks)))
    rows = community.app.store.call(
        lambda s: list(s.exec(select(PollVote.id, PollVote.option_index).order_by(PollVote.id)))
    )
    # random ids: neither the ids nor the table's order line up with the interaction log's
    assert len(rows) == 40 and min(vote_id for vote_id, _ in rows) > 2**20
    assert "".join("ab"[index] for _, index in rows) != clicks


async def test_named_voters_only_for_the_author_and_managers(community: Community) -> None:
    await community.run('/poll create question:"Best day?" options:"Mon | Wed"')
    out = await community.run(":as bob\n:click 2 Wed\n/poll results id:1")
    reply = steward_messages(out)[-1]
    assert "Steward → bob (private): Poll 1" in reply and "Who voted" not in reply
    out = await community.run(":as you\n/poll results id:1")
    reply = steward_messages(out)[-1]
    assert "== Who voted ==" in reply and "Wed: bob" in reply
    for message in steward_messages(await community.run(":advance 1d")):
        assert "bob" not in message  # the public results count, they do not name


async def test_forget_removes_named_votes_and_keeps_anonymous_ones(
    community: Community,
) -> None:
    await community.run(
        '/poll create question:Named? options:"a | b"\n'
        '/poll create question:Secret? options:"a | b" anonymous:true'
    )
    await community.run(
        ':as bob\n:click 2 b\n:click 5 b\n/poll create question:Mine? options:"x | y"'
    )
    app = community.app
    bob = await member_id(community, "bob")

    export = await app.store.run(app.privacy.export, bob)
    assert export["polls"]["poll_votes"] == [{"poll": 1, "question": "Named?", "option": "b"}]
    assert [p["question"] for p in export["polls"]["polls_created"]] == ["Mine?"]

    await app.store.run(app.privacy.forget, bob)
    app.directory.forget_member("console", "bob")
    out = await community.run(":as you\n/poll results id:1\n/poll results id:2")
    named, secret = steward_messages(out)[-2:]
    assert "b: ░░░░░░░░░░ 0 · 0%" in named and "bob" not in named
    assert "b: ██████████ 1 · 100%" in secret
    polls = app.store.call(lambda s: {p.question: p.created_by for p in s.exec(select(Poll))})
    assert polls["(removed at the author's request)"] is None


async def test_forgetting_a_voter_updates_the_open_poll_at_once(community: Community) -> None:
    await community.run('/poll create question:"Lunch?" options:"Pizza | Soup"')
    await community.run(":as bob\n:click 2 Pizza\n:as carol\n:click 2 Pizza")
    await community.run(":advance 2s")
    out = await community.run(":as bob\n/privacy forget confirm:true\n:advance 2s")
    edited = out[out.rindex("(edited)") :]
    assert "[1: Pizza · 1]" in edited
    assert "1 voter" in edited
