"""The weekly digest on Discord: embeds within Discord's limits with the chart attached once
and a confirmation only the manager sees; a digest at its longest split over messages (every
part taken, in order, nothing lost); the weekly post in `[discord] digest_channel`; and
Steward kept responsive while the chart's library loads."""

from __future__ import annotations

import importlib.abc
import sys
import threading
from datetime import timedelta
from pathlib import Path

import pytest

import bot.features.digest
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
from tests.adapters.discord.harness import (
    Guild,
    bot_posts,
    is_ephemeral,
    shown_text,
    steward,
    write_config,
)
from tests.fakes.discord_server import FakeDiscord, InteractionRecord, wait_for

TITLE, DESCRIPTION, FIELDS, FIELD_NAME, FIELD_VALUE = 256, 4096, 25, 256, 1024
FOOTER, EMBEDS_TOTAL, EMBEDS, CONTENT = 2048, 6000, 10, 2000  # Discord's limits
CHART_MODULE = "bot.features.digest.chart"


async def _some_activity(guild: Guild, running: runs.Running) -> None:
    """Bob posts, carol replies to him and reacts in #general (recorded before going on)."""
    fake, general = guild.fake, guild.channel("general")
    bob, carol = guild.member("bob"), guild.member("carol")
    first = await fake.post(general, bob, "hello everyone")
    await fake.post(general, carol, "welcome!", reply_to=first)
    await fake.react(general, first, carol, "🎉")
    await wait_for(lambda: running.count("reaction_added") == 1 and running.count("reply") == 1)


async def _post_digest(guild: Guild, channel: str) -> InteractionRecord:
    """Alice runs `/digest post channel:#…` in the managers' channel; once confirmed."""
    asked = await guild.fake.slash(
        guild.member("alice"),
        guild.channel("managers"),
        "digest",
        {"channel": guild.channel(channel)},
        subcommand="post",
    )
    await asked.wait(lambda r: any("is posted" in text for text in r.texts()))
    return asked


def _size(embed: dict) -> int:
    """An embed's characters as Discord counts them towards 6,000 a message."""
    texts = [embed.get("title"), embed.get("description")]
    texts += [(embed.get("footer") or {}).get("text"), (embed.get("author") or {}).get("name")]
    texts += [t for f in embed.get("fields", []) for t in (f["name"], f["value"])]
    return sum(len(t or "") for t in texts)


def _within_limits(post: dict) -> bool:
    """Every Discord limit on a message's content and embeds holds."""
    embeds = post["embeds"]
    for embed in embeds:
        fields = embed.get("fields", [])
        assert len(embed.get("title") or "") <= TITLE
        assert len(embed.get("description") or "") <= DESCRIPTION
        assert len(fields) <= FIELDS
        assert all(0 < len(f["name"]) <= FIELD_NAME for f in fields)
        assert all(0 < len(f["value"]) <= FIELD_VALUE for f in fields)
        assert len((embed.get("footer") or {}).get("text", "")) <= FOOTER
    assert len(post.get("content") or "") <= CONTENT
    assert len(embeds) <= EMBEDS
    assert sum(_size(e) for e in embeds) <= EMBEDS_TOTAL
    return True


def _tried(fake: FakeDiscord, channel_id: str) -> int:
    """How many posts Steward sent to the channel (each one Discord took is a message)."""
    path = f"/channels/{channel_id}/messages"
    return sum(r.method == "POST" and r.path == path for r in fake.requests)


def _attached(fake: FakeDiscord, posts: list[dict]) -> list[tuple[str, bytes]]:
    """Every attachment of `posts`: its filename and the bytes Discord keeps."""
    return [(a["filename"], fake.files_store[a["id"]][0]) for p in posts for a in p["attachments"]]


def _fields(posts: list[dict], title: str) -> dict[str, str]:
    """The fields of the embed titled `title` (and of untitled ones after it, its parts)."""
    found: dict[str, str] = {}
    inside = False
    for embed in (e for p in posts for e in p["embeds"]):
        inside = embed.get("title") == title or (inside and not embed.get("title"))
        if inside:
            found.update((f["name"], f["value"]) for f in embed.get("fields", []))
    return found


async def test_a_manager_posts_the_digest_as_embeds_with_its_chart_attached_once(
    guild: Guild, config: Path
) -> None:
    fake, announcements = guild.fake, guild.channel("announcements")
    async with steward(config) as running:
        await _some_activity(guild, running)
        week = await into_next_week(running, timedelta(minutes=30))
        asked = await _post_digest(guild, "announcements")
        posts = bot_posts(fake, announcements)
    assert posts and _tried(fake, announcements) == len(posts)
    assert all(_within_limits(post) for post in posts)
    titles = [e.get("title") for p in posts for e in p["embeds"]]
    assert {"Members", "Activity", "Top contributors", "Objectives"} <= set(titles)
    assert f"Weekly digest · our community · {week}" in shown_text(posts[0])
    activity = _fields(posts, "Activity")
    counted = [activity[k].split(" ·")[0] for k in ("Messages", "Replies", "Reactions")]
    assert counted == ["1"] * 3
    assert "bob" in shown_text(posts[0]) and "carol" in shown_text(posts[0])
    [(filename, data)] = _attached(fake, posts)
    assert filename == f"digest-{week}.png" and data.startswith(PNG)
    assert posts[-1]["attachments"]  # the chart goes with the last part
    assert [t for t in asked.texts() if "digest" in t] == [
        f"The digest of {week} is posted (#announcements)."
    ]
    assert all(is_ephemeral(body) for body in asked.callbacks + asked.followups)
    assert not [p for p in bot_posts(fake, guild.channel("managers")) if "digest" in shown_text(p)]


@pytest.mark.parametrize(
    "count",
    [
        SHOWN_OBJECTIVES,
        MOST_OBJECTIVES,
    ],
)
async def test_a_digest_at_its_longest_is_split_within_the_limits_each_part_taken_in_order(
    guild: Guild, config: Path, count: int
) -> None:
    fake, announcements = guild.fake, guild.channel("announcements")
    general = guild.channel("general")
    async with steward(config) as running:
        now = running.clock.now()
        names = await running.app.store.run(objectives_named(count, now))
        polls = await running.app.store.run(closed_polls(CLOSED_POLLS, now, "discord", general))
        await _some_activity(guild, running)
        week = await into_next_week(running, timedelta(minutes=30))
        await _post_digest(guild, "announcements")
        posts = bot_posts(fake, announcements)
    shown = "\n".join(shown_text(p) for p in posts)
    assert [shown.count(name) for name in names] == [1] * count
    assert sum(_size(e) for p in posts for e in p["embeds"]) > EMBEDS_TOTAL  # too long for one
    assert len(posts) == _tried(fake, announcements) >= 2  # so split, and every part taken
    assert all(_within_limits(post) for post in posts)
    assert list(_fields(posts, "Objectives")) == names  # in order, over embeds as needed
    assert [shown.count(question) for question in polls[:10]] == [1] * 10
    assert "… and 2 more" in shown
    order = ["Members", polls[0], polls[9], names[0], names[-1], "Recommendations"]
    assert sorted(order, key=shown.index) == order
    assert [f for f, _ in _attached(fake, posts)] == [f"digest-{week}.png"]


async def test_the_weekly_digest_goes_to_the_discord_digest_channel(
    guild: Guild, tmp_path: Path
) -> None:
    fake, announcements = guild.fake, guild.channel("announcements")
    config = write_config(
        tmp_path / "steward.toml", fake, tmp_path / "steward.db", digest_channel="announcements"
    )
    async with steward(config) as running:
        await _some_activity(guild, running)
        week = await into_next_week(running, timedelta(hours=9, minutes=1))  # "mon 09:00"
        await wait_for(lambda: _attached(fake, bot_posts(fake, announcements)))  # the last part
        posts = bot_posts(fake, announcements)
    assert f"Weekly digest · our community · {week}" in shown_text(posts[0])
    assert all(_within_limits(post) for post in posts)
    assert [f for f, _ in _attached(fake, posts)] == [f"digest-{week}.png"]
    assert not [p for p in bot_posts(fake, guild.channel("managers")) if "digest" in shown_text(p)]


class _ChartImportWatch(importlib.abc.MetaPathFinder):
    """Notes the thread that loads the chart module (matplotlib: a second or more)."""

    def __init__(self) -> None:
        self.threads: list[threading.Thread] = []

    def find_spec(self, name: str, path: object = None, target: object = None) -> None:
        if name == CHART_MODULE:
            self.threads.append(threading.current_thread())
        return None  # the usual finders load it


async def test_the_chart_library_is_loaded_off_the_event_loop(
    guild: Guild, config: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    importlib.import_module(CHART_MODULE)
    monkeypatch.setattr(bot.features.digest, "chart", sys.modules[CHART_MODULE])
    monkeypatch.delitem(sys.modules, CHART_MODULE)  # the first chart since the start
    watch = _ChartImportWatch()
    monkeypatch.setattr(sys, "meta_path", [watch, *sys.meta_path])
    async with steward(config) as running:
        await _some_activity(guild, running)
        await into_next_week(running, timedelta(minutes=30))
        await _post_digest(guild, "announcements")
    assert CHART_MODULE in sys.modules  # the chart was loaded meanwhile
    assert watch.threads and threading.main_thread() not in watch.threads
