"""The weekly digest on Slack: valid Block Kit with the chart uploaded beside it and a
confirmation only the manager sees; a digest at its longest split over messages (every part
taken, in order, nothing lost); and the weekly post in `[slack] digest_channel`."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.adapters import running as runs
from tests.adapters.digest_data import (
    CLOSED_POLLS,
    MOST_OBJECTIVES,
    PNG,
    SHOWN_OBJECTIVES,
    closed_polls,
    into_next_week,
    objectives_named,
)
from tests.adapters.slack.harness import (
    Workspace,
    answered,
    ask,
    blocks_of,
    bot_posts,
    deliver,
    shown_text,
    steward,
    wait_for,
    write_config,
)

MAX_BLOCKS, SECTION_TEXT, HEADER_TEXT, FIELDS = 50, 3000, 150, 10  # Slack's limits
UPLOAD = ("files.getUploadURLExternal", "files.completeUploadExternal")


async def _some_activity(run: runs.Running, space: Workspace) -> None:
    """Bob posts, carol replies in his thread and reacts, in #general (recorded)."""
    fake, general = space.fake, space.channel("general")
    bob, carol = space.person("bob"), space.person("carol")
    said = fake.add_message(general, bob, "hello everyone")
    reply = fake.add_message(general, carol, "welcome!", thread_ts=said)
    for event in (
        fake.message_event(general, bob, "hello everyone", said),
        fake.message_event(general, carol, "welcome!", reply, thread_ts=said),
        fake.react(general, said, carol, "tada"),
    ):
        await deliver(run, fake, fake.event(event), "event")
    await wait_for(lambda: run.count("reaction_added") == 1 and run.count("reply") == 1)


async def _post_digest(run: runs.Running, space: Workspace, channel: str) -> list[str]:
    """Alice runs `/digest post channel:#…` in the managers' channel (the channel as Slack
    sends it, escaped); what only she reads, once it says the digest is posted."""
    where = f"<#{space.channel(channel)}|{channel}>"
    answer = await ask(run, space, "alice", "managers", "/digest", f"post channel:{where}")
    return await answered(space.fake, answer, "is posted")


def _calls(space: Workspace, channel_id: str) -> list[dict]:
    """The chat.postMessage calls to the channel (each one Slack took is a message)."""
    return [p for p in space.fake.called("chat.postMessage") if p["channel"] == channel_id]


def _valid(params: dict) -> bool:
    """A chat.postMessage within Slack's limits: blocks, section texts, headers, fields."""
    blocks = blocks_of(params)
    assert 0 < len(blocks) <= MAX_BLOCKS
    for block in blocks:
        if block["type"] == "section":
            assert len((block.get("text") or {}).get("text", "")) <= SECTION_TEXT
            assert len(block.get("fields", [])) <= FIELDS
        if block["type"] == "header":
            assert len(block["text"]["text"]) <= HEADER_TEXT
    return True


def _headers(posts: list[dict]) -> list[str]:
    return [
        b["text"]["text"] for p in posts for b in p.get("blocks") or [] if b["type"] == "header"
    ]


def _digest_posts(space: Workspace, channel_id: str) -> list[dict]:
    """The bot's posts in the channel but the shared chart."""
    return [p for p in bot_posts(space.fake, channel_id) if p.get("subtype") != "file_share"]


def _uploads(space: Workspace, channel_id: str) -> list[dict[str, Any]]:
    return [u for u in space.fake.uploads if u["channel_id"] == channel_id]


async def test_a_manager_posts_the_digest_as_blocks_with_its_chart_uploaded(
    space: Workspace, config: Path
) -> None:
    fake, announcements = space.fake, space.channel("announcements")
    async with steward(config) as run:
        await _some_activity(run, space)
        week = await into_next_week(run, timedelta(minutes=30))
        private = await _post_digest(run, space, "announcements")
        [chart] = await wait_for(lambda: _uploads(space, announcements))
        posts = _digest_posts(space, announcements)
    calls = _calls(space, announcements)
    assert posts and len(calls) == len(posts)  # every post taken (the fake refuses bad blocks)
    assert all(_valid(params) for params in calls)
    assert {"Members", "Activity", "Top contributors", "Objectives"} <= set(_headers(posts))
    shown = "\n".join(shown_text(p) for p in posts)
    assert f"Weekly digest · our community · {week}" in shown
    assert "*Messages*\n1 ·" in shown and "*Replies*\n1 ·" in shown
    assert "*Reactions*\n1 ·" in shown
    assert chart["filename"] == f"digest-{week}.png" and chart["data"].startswith(PNG)
    assert [len(fake.called(method)) for method in UPLOAD] == [1, 1]
    assert fake.called("files.completeUploadExternal")[0]["channel_id"] == announcements
    shared = [m for m in bot_posts(fake, announcements) if m.get("subtype") == "file_share"]
    assert [f["name"] for m in shared for f in m["files"]] == [chart["filename"]]
    assert [t for t in private if "digest" in t] == [
        f"The digest of {week} is posted (#announcements)."
    ]
    assert {p["channel"] for p in fake.called("chat.postMessage")} == {announcements}


@pytest.mark.parametrize(
    "count",
    [
        SHOWN_OBJECTIVES,
        MOST_OBJECTIVES,
    ],
)
async def test_a_digest_at_its_longest_is_split_into_valid_messages_each_taken_in_order(
    space: Workspace, config: Path, count: int
) -> None:
    fake, announcements = space.fake, space.channel("announcements")
    general = space.channel("general")
    async with steward(config) as run:
        now = run.clock.now()
        names = await run.app.store.run(objectives_named(count, now))
        polls = await run.app.store.run(closed_polls(CLOSED_POLLS, now, "slack", general))
        await _some_activity(run, space)
        week = await into_next_week(run, timedelta(minutes=30))
        await _post_digest(run, space, "announcements")
        await wait_for(lambda: _uploads(space, announcements))
        posts = _digest_posts(space, announcements)
    calls = _calls(space, announcements)
    shown = "\n".join(shown_text(p) for p in posts)
    assert [shown.count(name) for name in names] == [1] * count
    assert len(posts) == len(calls) >= 2  # split, and every part taken
    assert all(_valid(params) for params in calls)
    assert [shown.count(question) for question in polls[:10]] == [1] * 10
    assert "… and 2 more" in shown
    order = ["Members", polls[0], polls[9], *names, "Recommendations"]
    assert sorted(order, key=shown.index) == order  # in order, over the parts
    assert [u["filename"] for u in _uploads(space, announcements)] == [f"digest-{week}.png"]
    calls_made = [c.method for c in fake.calls if c.method in ("chat.postMessage", *UPLOAD)]
    assert calls_made[-3:] == ["chat.postMessage", *UPLOAD]  # the chart after the last part


async def test_the_weekly_digest_goes_to_the_slack_digest_channel(
    space: Workspace, tmp_path: Path
) -> None:
    announcements = space.channel("announcements")
    config = write_config(
        tmp_path / "steward.toml", space, tmp_path / "steward.db", digest_channel="announcements"
    )
    async with steward(config) as run:
        await _some_activity(run, space)
        week = await into_next_week(run, timedelta(hours=9, minutes=1))  # "mon 09:00"
        [chart] = await wait_for(lambda: _uploads(space, announcements))
        posts = _digest_posts(space, announcements)
    assert f"Weekly digest · our community · {week}" in shown_text(posts[0])
    assert all(_valid(params) for params in _calls(space, announcements))
    assert chart["filename"] == f"digest-{week}.png"
    assert not _digest_posts(space, space.channel("managers"))
