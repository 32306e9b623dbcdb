"""Contest edge cases a community manager, a sceptical member and a returning member run into."""

import hashlib
import re

from bot.features.contests.store import ContestVote
from tests.features.contests.test_contests import (
    CREATE_LINE,
    announcements,
    audit_text,
    count_rows,
    create,
    enter_each,
    key,
    line_after,
    manage,
    winners_in,
)
from tests.recording import Recorded


async def test_counts_in_announcements_read_as_english(recorded: Recorded) -> None:
    await create(recorded, "winners:3")
    await enter_each(recorded, "bob")
    [announcement] = announcements(await recorded.advance("2d"))
    assert announcement.text.startswith(
        "🎉 Contest #1 “Best photo” — winner: bob\nDrawn from 1 entrant with the seed"
    )


async def test_the_announcement_counts_only_entrants_who_could_win(recorded: Recorded) -> None:
    await create(recorded)
    await enter_each(recorded, "bob", "carol", "dave")
    await recorded.leave("carol")
    [announcement] = announcements(await recorded.advance("2d"))
    assert "Drawn from 2 of 3 entrants (1 left the community)" in announcement.text


async def test_a_vote_contest_without_votes_says_so_on_reroll(recorded: Recorded) -> None:
    await create(recorded, "mode:vote")
    await recorded.command("/contest enter id:1 entry:one", by="bob")
    await recorded.command("/contest enter id:1 entry:two", by="carol")
    said = await recorded.advance("2d")
    assert any("Contest #1 “Best photo” closed with no votes: no winner." in p.plain for p in said)
    [refusal] = (await manage(recorded, "/contest reroll id:1")).told("mia")
    assert "has won already or has left" not in refusal
    assert "there is no entry left with a vote" in refusal


async def test_min_days_counts_from_the_first_time_steward_saw_the_member(
    recorded: Recorded,
) -> None:
    """A member Steward knows only as the author of a message it saw is not new forever."""
    hello = await recorded.post("hello", by="carol")
    await recorded.command("/privacy forget confirm:true", by="carol")
    await recorded.reply(hello, "hi", by="bob")
    await create(recorded, "min_days_member:3", line=CREATE_LINE.replace("2d", "14d"))
    said = await recorded.command("/contest enter id:1", by="carol")
    assert said.told("carol") == [
        "Steward never saw you join, so it counts from when it first saw you (today); "
        "this contest needs 3 days of membership — you can enter from "
        "Thu 2026-03-05 09:00 UTC."
    ]
    await recorded.advance("1d")
    [later] = (await recorded.command("/contest enter id:1", by="carol")).told("carol")
    assert later.endswith("you can enter from Thu 2026-03-05 09:00 UTC.")  # the date stays
    await recorded.advance("2d")
    [entered] = (await recorded.command("/contest enter id:1", by="carol")).told("carol")
    assert entered.startswith("You're in contest #1")


async def test_a_member_who_forgets_themselves_cannot_vote_twice(recorded: Recorded) -> None:
    await create(recorded, "mode:vote channel:general")
    said = await recorded.command("/contest enter id:1 entry:one", by="bob")
    [entry] = said.public("contest")
    assert entry.text.startswith("Entry by bob") and entry.channel.name == "general"
    await recorded.click(entry, "Vote", by="carol")
    await recorded.command("/privacy forget confirm:true", by="carol")
    await recorded.click(entry, "Vote", by="carol")
    await recorded.advance("1s")
    assert entry.labels == ["Vote (1)"]
    assert count_rows(recorded, ContestVote) == 1


async def test_a_vote_contest_is_checkable_from_its_audit_alone(recorded: Recorded) -> None:
    """Votes, tie-break draw and rerolls re-run from the audit text with hashlib only."""
    await create(recorded, "mode:vote winners:2 channel:general")
    entries = {}
    for name in ("ann", "bob", "cy", "dee"):
        said = await recorded.command(f"/contest enter id:1 entry:{name}-pic", by=name)
        [entries[name]] = said.public("contest")
    # ann 2 votes; bob, cy, dee 1 each: one place left for three tied entries
    votes = {"v1": "ann", "v2": "ann", "v3": "bob", "v4": "cy", "v5": "dee"}
    for voter, name in votes.items():
        await recorded.click(entries[name], "Vote", by=voter)
    [announcement] = announcements(await recorded.advance("2d"))
    first = winners_in(announcement.text)
    await manage(recorded, "/contest reroll id:1")
    audit = await audit_text(recorded)

    seed = bytes.fromhex(line_after(audit, "Seed: "))
    assert hashlib.sha256(seed).hexdigest() == line_after(audit, "SHA-256 of the seed): ")
    entrants = line_after(audit, "Entrants in order: ").split(", ")
    tally = dict(pair.rsplit(" ", 1) for pair in line_after(audit, "Votes: ").split(", "))
    ann, bob, cy, dee = key(recorded, "ann", "bob", "cy", "dee")
    assert tally == {ann: "2", bob: "1", cy: "1", dee: "1"}
    rounds = re.findall(
        r"^\s*(?:Draw|Reroll) \d+ \(count (\d+), start (\d+), skip (.*?)\): (.*)$", audit, re.M
    )
    assert len(rounds) == 2
    for count, start, skip, won in rounds:
        skipped = set() if skip == "none" else set(skip.split(", "))
        assert _by_votes(seed, entrants, tally, int(count), skipped, int(start)) == won.split(", ")
    assert rounds[0][3].split(", ") == key(recorded, *first)


def _by_votes(seed, entrants, tally, count, skip, start) -> list[str]:
    """The vote rule as the audit states it: most votes first, the draw among a tie."""
    left = [e for e in entrants if e not in skip and int(tally[e]) > 0]
    picked, i = [], start
    for votes in sorted({int(tally[e]) for e in left}, reverse=True):
        tied = [e for e in left if int(tally[e]) == votes]
        while tied and len(picked) < count:
            if len(tied) <= count - len(picked):
                picked += tied
                break
            h = hashlib.sha256(seed + i.to_bytes(4, "big")).digest()
            picked.append(tied.pop(int.from_bytes(h, "big") % len(tied)))
            i += 1
    return picked


async def test_forgetting_updates_the_public_contest_posts(recorded: Recorded) -> None:
    """A forgotten member's entry posts stop naming them; counts drop at once."""
    contest = await create(recorded, "mode:vote channel:general")
    await create(
        recorded, "mode:vote", line=CREATE_LINE.replace("Best photo", "Old one").replace("2d", "1h")
    )
    [river] = (await recorded.command("/contest enter id:1 entry:river", by="quinn")).public()
    [lake] = (await recorded.command("/contest enter id:2 entry:lake", by="quinn")).public()
    [sunset] = (await recorded.command("/contest enter id:1 entry:sunset", by="bob")).public()
    await recorded.click(sunset, "Vote", by="quinn")
    await recorded.advance("1h")
    assert "Entrants: 2\n" in contest.text and sunset.labels == ["Vote (1)"]
    await recorded.command("/privacy forget confirm:true", by="quinn")
    await recorded.advance("1s")
    assert river.text == "(An entry in contest #1 “Best photo” was withdrawn.)"
    assert lake.text.startswith("Entry by a former member in contest #2 “Old one”")
    assert "lake" not in lake.plain and "quinn" not in lake.plain
    assert "Entrants: 1\n" in contest.text
    assert sunset.labels == ["Vote (0)"]
