"""The weekly digest on Slack: valid Block Kit with the chart uploaded beside it and a
confirmation only the manager sees; a digest at its longest split over messages (every part
taken, in order, nothing lost); and the weekly post in `[slack] digest_channel`."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from itertools import product
from pathlib import Path
from typing import Any

import pytest

from bot.features.digest import week_at
from bot.features.objectives import AT_LEAST, AT_MOST, METRICS, Objective
from bot.features.polls.store import Poll, PollOption, PollVote
from tests.adapters import running as runs
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
PNG = b"\x89PNG\r\n\x1a\n"
SHOWN_OBJECTIVES = 25  # what the digest shows today (bot/features/digest/render.py)
MOST_OBJECTIVES = 2 * len(METRICS)  # `/objective set` keeps one per metric and direction
NAME = 80  # characters of an objective's name (a poll's question) the digest shows whole
CLOSED_POLLS = 12  # more than the digest lists (10, then "… and 2 more")
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


async def _into_next_week(run: runs.Running, after_monday: timedelta) -> str:
    """The clock moved to `after_monday` past the coming Monday 00:00 (the community's zone),
    so the week of the activity is the last full week; that week's label."""
    zone = run.app.settings.community.zone
    now = run.clock.now()
    week = week_at(now, zone)
    monday = datetime.combine(week.shifted(1).monday, time(), tzinfo=zone)
    await run.advance(monday + after_monday - now)
    return week.label


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
        week = await _into_next_week(run, timedelta(minutes=30))
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


def _objectives(count: int, at: datetime):
    """`count` objectives, each name 80 characters long, set a month before `at`: every
    metric at least and at most, as `/objective set` keeps them; work for `app.store.run`
    giving their names."""

    def add(session) -> list[str]:
        names = []
        pairs = list(product(METRICS, (AT_LEAST, AT_MOST)))
        for n in range(count):
            metric, direction = pairs[n % len(pairs)]
            name = f"Objective {n:02d}: " + "keep the community lively and kind " * 3
            names.append(name[:NAME].strip())
            session.add(
                Objective(
                    name=names[-1], metric=metric, direction=direction, target=50,
                    created_at=at - timedelta(days=30),
                )
            )  # fmt: skip
        return names

    return add


def _closed_polls(count: int, at: datetime, platform: str, channel_id: str):
    """`count` polls closed at `at`, questions and options as long as the digest shows them,
    a vote on each option; work for `app.store.run` giving their questions."""

    def add(session) -> list[str]:
        questions = []
        for n in range(count):
            question = f"Poll {n:02d}: " + "which evening suits the next community call best? " * 2
            questions.append(question[:NAME].strip())
            poll = Poll(
                platform=platform, channel_id=channel_id, question=questions[-1],
                created_at=at - timedelta(hours=1), closes_at=at, closed_at=at,
            )  # fmt: skip
            session.add(poll)
            session.flush()
            for position in range(4):
                label = f"Option {position}: " + "the later slot after work hours " * 2
                session.add(PollOption(poll_id=poll.id, position=position, label=label[:40]))
                session.add(
                    PollVote(
                        id=n * 10 + position + 1, poll_id=poll.id, option_index=position,
                        slot=0, voter_hash=f"voter-{n}-{position}",
                    )
                )  # fmt: skip
        return questions

    return add


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
        names = await run.app.store.run(_objectives(count, now))
        polls = await run.app.store.run(_closed_polls(CLOSED_POLLS, now, "slack", general))
        await _some_activity(run, space)
        week = await _into_next_week(run, timedelta(minutes=30))
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
        week = await _into_next_week(run, timedelta(hours=9, minutes=1))  # "mon 09:00"
        [chart] = await wait_for(lambda: _uploads(space, announcements))
        posts = _digest_posts(space, announcements)
    assert f"Weekly digest · our community · {week}" in shown_text(posts[0])
    assert all(_valid(params) for params in _calls(space, announcements))
    assert chart["filename"] == f"digest-{week}.png"
    assert not _digest_posts(space, space.channel("managers"))
