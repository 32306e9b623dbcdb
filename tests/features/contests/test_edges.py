"""Contest edge cases a community manager, a sceptical member and a returning member run into."""

import hashlib
import re

from sqlmodel import select

from bot.features.contests.store import ContestVote
from bot.store.models import Member
from tests.conftest import Community
from tests.features.calendar.support import number_of
from tests.features.contests.test_contests import (
    CREATE,
    count_rows,
    enter_all,
    line_after,
    shown,
    winners_in,
)


async def test_counts_in_announcements_read_as_english(community: Community) -> None:
    await community.run(CREATE + " winners:3")
    await enter_all(community, "bob")
    out = await community.run(":advance 2d")
    assert "🎉 Contest #1 “Best photo” — winner: bob\n    Drawn from 1 entrant with the seed" in out
    assert "1 entrants" not in out


async def test_the_announcement_counts_only_entrants_who_could_win(community: Community) -> None:
    await community.run(CREATE)
    await enter_all(community, "bob", "carol", "dave")
    out = await community.run(":leave carol\n:advance 2d")
    assert "Drawn from 2 of 3 entrants (1 left the community)" in out


async def test_a_vote_contest_without_votes_says_so_on_reroll(community: Community) -> None:
    await community.run(CREATE + " mode:vote")
    await community.run(
        ":as bob\n/contest enter id:1 entry:one\n:as carol\n/contest enter id:1 entry:two"
    )
    out = await community.run(":advance 2d")
    assert "Contest #1 “Best photo” closed with no votes: no winner." in out
    out = await community.run(":as mia\n:in managers\n/contest reroll id:1")
    refusal = line_after(out, "Steward → mia (private): ")
    assert "has won already or has left" not in refusal
    assert "there is no entry left with a vote" in refusal


async def test_min_days_counts_from_the_first_time_steward_saw_the_member(
    community: Community,
) -> None:
    """A member Steward knows only as the author of a message it saw is not new forever."""
    await community.run(":as carol\nhello\n/privacy forget confirm:true\n:as bob\n:reply 1 hi")
    # bob's reply re-creates carol's row from the platform's data, without a first-seen time
    out = await community.run(CREATE.replace("2d", "14d") + " min_days_member:3")
    out = await community.run(":as carol\n:in general\n/contest enter id:1")
    refusal = line_after(out, "Steward → carol (private): ")
    assert refusal == (
        "Steward never saw you join, so it counts from when it first saw you (today); "
        "this contest needs 3 days of membership — you can enter from "
        "Thu 2026-03-05 09:00 UTC."
    )
    out = await community.run(":advance 1d\n/contest enter id:1")
    assert "you can enter from Thu 2026-03-05 09:00 UTC." in out  # the date does not move
    out = await community.run(":advance 2d\n/contest enter id:1")
    assert "Steward → carol (private): You're in contest #1" in out


async def test_a_member_who_forgets_themselves_cannot_vote_twice(community: Community) -> None:
    await community.run(CREATE + " mode:vote channel:general")
    out = await community.run(":as bob\n/contest enter id:1 entry:one")
    assert "#5 [general] Steward [contest]: Entry by bob" in out
    await community.run(":as carol\n:click 5 Vote\n/privacy forget confirm:true\n:click 5 Vote")
    out = await community.run(":advance 1s")
    assert "[1: Vote (1)]" in shown(out, 5)
    assert count_rows(community, ContestVote) == 1


async def test_removing_by_a_shared_display_name_asks_which_one(community: Community) -> None:
    """On Discord two members may both show as "alex"; a manager must not remove the wrong one."""
    await community.run(CREATE)
    await enter_all(community, "u2001", "u2002")  # Discord user ids are numbers, never names
    community.app.store.call(_rename, "u2001", "alex")
    community.app.store.call(_rename, "u2002", "alex")
    out = await community.run(":as mia\n:in managers\n/contest remove id:1 member:alex")
    assert "2 entrants are called alex (u2001, u2002): name one by user id" in out
    assert "Removed" not in out
    out = await community.run("/contest remove id:1 member:u2002")
    assert "Removed alex's entry from contest #1 “Best photo”; 1 entrant remains." in out


def _rename(session, user_id: str, name: str) -> None:
    member = session.exec(select(Member).where(Member.platform_user_id == user_id)).one()
    member.name = name
    session.add(member)


async def test_a_vote_contest_is_checkable_from_its_audit_alone(community: Community) -> None:
    """Votes, tie-break draw and rerolls re-run from the audit text with hashlib only."""
    await community.run(CREATE + " mode:vote winners:2 channel:general")
    script = "\n".join(
        f":as {name}\n/contest enter id:1 entry:{name}-pic" for name in ("ann", "bob", "cy", "dee")
    )
    await community.run(script)
    # ann 2 votes; bob, cy, dee 1 each: one place left for three tied entries
    votes = {"v1": 5, "v2": 5, "v3": 8, "v4": 11, "v5": 14}  # voter → entry post
    await community.run("\n".join(f":as {v}\n:click {m} Vote" for v, m in votes.items()))
    out = await community.run(":advance 2d")
    first = winners_in(out[out.index("🎉") :])
    out = await community.run(":as mia\n:in managers\n/contest reroll id:1")
    audit = await community.run("/contest audit id:1")

    seed = bytes.fromhex(line_after(audit, "Seed: "))
    assert hashlib.sha256(seed).hexdigest() == line_after(audit, "SHA-256 of the seed): ")
    entrants = line_after(audit, "Entrants in order: ").split(", ")
    tally = dict(pair.rsplit(" ", 1) for pair in line_after(audit, "Votes: ").split(", "))
    assert tally == {"ann": "2", "bob": "1", "cy": "1", "dee": "1"}
    rounds = re.findall(
        r"^\s*(?:Draw|Reroll) \d+ \(count (\d+), start (\d+), skip (.*?)\): (.*)$", audit, re.M
    )
    assert len(rounds) == 2
    for count, start, skip, won in rounds:
        skipped = set() if skip == "none" else set(skip.split(", "))
        assert _by_votes(seed, entrants, tally, int(count), skipped, int(start)) == won.split(", ")
    assert rounds[0][3].split(", ") == first


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


async def test_forgetting_updates_the_public_contest_posts(community: Community) -> None:
    """A forgotten member's entry posts stop naming them; counts drop at once."""
    await community.run(CREATE + " mode:vote channel:general")
    await community.run(CREATE.replace("Best photo", "Old one").replace("2d", "1h") + " mode:vote")
    out = await community.run(
        ":as quinn\n/contest enter id:1 entry:river\n/contest enter id:2 entry:lake\n"
        ":as bob\n/contest enter id:1 entry:sunset"
    )
    river = number_of(out, "Entry by quinn in contest #1")
    lake = number_of(out, "Entry by quinn in contest #2")
    sunset = number_of(out, "Entry by bob in contest #1")
    await community.run(f":as quinn\n:click {sunset} Vote\n:advance 1h")
    out = await community.run(":in general\n/privacy forget confirm:true\n:advance 1s")
    assert shown(out, int(river)).endswith(
        "Steward [contest]: (An entry in contest #1 “Best photo” was withdrawn.)\n"
    )
    old = shown(out, int(lake))
    assert "Entry by a former member in contest #2 “Old one”" in old
    assert "lake" not in old and "quinn" not in old
    assert "Entrants: 1\n" in shown(out, 2)
    assert "[1: Vote (0)]" in shown(out, int(sunset))
