"""`/contest` in a console community: fair draw and audit, rerolls, eligibility, bad input."""

import hashlib
import re

from sqlmodel import func, select

from bot.features.contests.store import Contest, ContestEntry
from bot.store.models import Interaction
from tests.conftest import Community, make_settings, open_community

CREATE = ':as mia manager\n:in managers\n/contest create title:"Best photo" closes:2d'


def shown(out: str, number: int) -> str:
    """The last printing of console message #number: its header and indented body."""
    blocks = re.findall(rf"^#{number}(?: \(edited\))? \[.*?(?=^\S|^  \S|\Z)", out, re.M | re.S)
    assert blocks, f"message #{number} not in output"
    return blocks[-1]


def line_after(text: str, prefix: str) -> str:
    match = re.search(rf"{re.escape(prefix)}(.*)$", text, re.M)
    assert match, f"{prefix!r} not in:\n{text}"
    return match.group(1).strip()


def rerun(audit: str) -> list[list[str]]:
    """Check the commitment and re-run every round from the audit text alone (hashlib only)."""
    seed = bytes.fromhex(line_after(audit, "Seed: "))
    assert hashlib.sha256(seed).hexdigest() == line_after(
        audit, "Commitment (SHA-256 of the seed): "
    )
    entrants = line_after(audit, "Entrants in order: ").split(", ")
    results = []
    for count, start, skip, won in re.findall(
        r"^\s*(?:Draw|Reroll) \d+ \(count (\d+), start (\d+), skip (.*?)\): (.*)$", audit, re.M
    ):
        skipped = set() if skip == "none" else set(skip.split(", "))
        remaining = [e for e in entrants if e not in skipped]
        picked = []
        for i in range(int(start), int(start) + int(count)):
            if not remaining:
                break
            h = hashlib.sha256(seed + i.to_bytes(4, "big")).digest()
            picked.append(remaining.pop(int.from_bytes(h, "big") % len(remaining)))
        assert picked == ([] if won == "none" else won.split(", "))
        results.append(picked)
    assert results, "no draw rounds in the audit"
    return results


def winners_in(announcement: str) -> list[str]:
    return line_after(
        announcement, "winners: " if "winners:" in announcement else "winner: "
    ).split(", ")


async def enter_all(community: Community, *names: str) -> str:
    return await community.run("\n".join(f":as {n}\n/contest enter id:1" for n in names))


def count_rows(community: Community, table) -> int:
    return community.app.store.call(lambda s: s.exec(select(func.count()).select_from(table)).one())


async def test_draw_is_reproducible_from_its_audit(community: Community) -> None:
    out = await community.run(CREATE + " winners:2")
    post = shown(out, 2)
    assert "🏆 Contest #1: Best photo" in post
    assert "Entries close Wed 2026-03-04 09:00 UTC. 2 winners, drawn at random." in post
    assert "[1: Enter]" in post
    committed = line_after(post, "Fair draw: SHA-256 of the secret seed is ")
    assert re.fullmatch(r"[0-9a-f]{64}", committed)
    out += await enter_all(community, "you", "bob", "carol", "dave")
    out += await community.run(":as erin\n:click 2 Enter")
    assert "Steward → erin (private): You're in contest #1 “Best photo”!" in out
    out += await community.run("/contest audit id:1")
    assert "Seed: published once the contest is decided." in out
    seed = community.app.store.call(lambda s: s.get(Contest, 1).seed_hex)
    assert seed not in out  # the seed stays secret until the draw

    out = await community.run(":advance 2d")
    announcement = out[out.index("🎉 Contest #1 “Best photo” — winners: ") :]
    winners = winners_in(announcement)
    assert len(winners) == 2 and set(winners) <= {"you", "bob", "carol", "dave", "erin"}
    assert "Drawn from 5 entrants" in announcement
    assert "Entries closed Wed 2026-03-04 09:00 UTC" in shown(out, 2)
    assert "[1: Enter]" not in shown(out, 2)

    audit = await community.run("/contest audit id:1")
    assert f"Commitment (SHA-256 of the seed): {committed}" in audit
    assert "Entrants in order: bob, carol, dave, erin, you" in audit  # same time: by user id
    assert "Algorithm: remaining = entrants in the published order" in audit
    assert rerun(audit) == [winners]


async def test_reroll_skips_earlier_winners_and_members_who_left(community: Community) -> None:
    await community.run(CREATE)
    await enter_all(community, "you", "bob", "carol", "dave")
    out = await community.run(":advance 2d")
    (first,) = winners_in(out[out.index("🎉") :])
    others = [n for n in ("bob", "carol", "dave", "you") if n != first]
    gone, stays = others[:2], others[2]
    await community.run(f":leave {gone[0]}\n:leave {gone[1]}")

    out = await community.run(":as mia\n:in managers\n/contest reroll id:1 count:2")
    assert f"🎉 Contest #1 “Best photo” — new winner: {stays}\n" in out
    assert f"Rerolled contest #1 “Best photo”: {stays} (announced in #announcements; " in out
    assert "only 1 eligible entrant was left" in out

    audit = await community.run("/contest audit id:1")
    skipped = line_after(audit, "Reroll 2 (count 2, start 1, skip ").split(")")[0].split(", ")
    assert sorted(skipped) == sorted([first, *gone])
    assert rerun(audit) == [[first], [stays]]

    out = await community.run("/contest reroll id:1")
    assert "Steward → mia (private): Nobody is left to draw in contest #1" in out
    assert "Reroll 3" not in await community.run("/contest audit id:1")


async def test_a_member_not_yet_eligible_is_told_why(community: Community) -> None:
    await community.run(":join carol\n:advance 2d")
    out = await community.run(CREATE.replace("2d", "14d") + " min_days_member:7")
    assert "Who can enter: members for 7 days or more." in shown(out, 2)
    out = await community.run(":as carol\n/contest enter id:1\n:click 2 Enter")
    refusal = (
        "You joined 2 days ago; this contest needs 7 days of membership — "
        "you can enter from Mon 2026-03-09 09:00 UTC."
    )
    assert out.count(f"Steward → carol (private): {refusal}") == 2
    assert count_rows(community, ContestEntry) == 0
    out = await community.run(":advance 5d\n/contest enter id:1")
    assert "Steward → carol (private): You're in contest #1" in out


async def test_a_role_requirement_is_checked(community: Community) -> None:
    await community.run(CREATE + " role:manager")
    out = await community.run(":as bob\n/contest enter id:1")
    assert (
        "Steward → bob (private): Contest #1 “Best photo” is open to members with the role "
        "“manager”, and you don't have it." in out
    )
    out = await community.run(":as ann manager\n/contest enter id:1")  # console managers hold it
    assert "Steward → ann (private): You're in contest #1" in out


async def test_bad_input_is_refused_privately_and_nothing_is_stored(community: Community) -> None:
    out = await community.run(CREATE.replace("2d", "2026-03-01T10:00"))
    assert (
        "Steward → mia (private): The closing time Sun 2026-03-01 10:00 UTC is not in the future"
        in out
    )
    assert "Usage: /contest create title:<string> closes:<string>" in out
    out = await community.run('/contest create title:"X" closes:someday')
    assert "`closes` must be a duration like 2d or 12h, or a date and time like" in out
    assert count_rows(community, Contest) == 0

    await community.run('/contest create title:"Best photo" closes:2d')
    out = await community.run(":as bob\n/contest enter id:1\n/contest enter id:1")
    assert (
        "Steward → bob (private): You have already entered contest #1 “Best photo”; one entry each."
        in out
    )
    out = await community.run("/contest enter id:9\n/contest audit id:9")
    assert out.count("Steward → bob (private): There is no contest #9.") == 2
    assert "Usage: /contest enter id:<integer> [entry:<string>]" in out
    assert count_rows(community, ContestEntry) == 1
    out = await community.run("/contest draw id:1")
    assert "`/contest draw` is for community managers." in out
    assert count_rows(community, Contest) == 1


async def test_managers_list_and_remove_entrants(community: Community) -> None:
    await community.run(CREATE + " winners:5")
    await enter_all(community, "bob", "carol", "dave")
    out = await community.run(":as mia\n:in managers\n/contest entrants id:1")
    assert "Entrants of contest #1 “Best photo”: 3" in out
    assert (
        "1. bob — Mon 2026-03-02 09:00 UTC" in out and "3. dave — Mon 2026-03-02 09:00 UTC" in out
    )
    out = await community.run("/contest remove id:1 member:carol\n/contest remove id:1 member:zed")
    assert "Removed carol's entry from contest #1 “Best photo”; 2 entrants remain." in out
    assert "zed has no entry in contest #1 “Best photo”." in out
    out = await community.run(":as carol\n/contest enter id:1")
    assert "A manager removed your entry from contest #1" in out

    out = await community.run(":advance 2d")
    assert "winners: " in out and "carol" not in line_after(out, "winners: ")
    audit = await community.run("/contest audit id:1")
    assert "Entrants in order: bob, dave" in audit
    assert "Removed by managers before closing: carol" in audit
    out = await community.run(":as mia\n/contest remove id:1 member:bob")
    assert "has closed; its entrant list is final" in out


async def test_draw_now_closes_early_and_only_once(community: Community) -> None:
    await community.run(CREATE)
    await enter_all(community, "bob")
    out = await community.run(":as mia\n:in managers\n/contest draw id:1")
    assert "🎉 Contest #1 “Best photo” — winner: bob" in out
    assert (
        "Closed contest #1 “Best photo” and decided it: bob (announced in #announcements)." in out
    )
    out = await community.run("/contest draw id:1\n:advance 3d")
    assert "is decided already; `/contest reroll id:1` draws more winners." in out
    assert "🎉" not in out
    out = await community.run(":as carol\n/contest enter id:1")
    assert "Entries for contest #1 “Best photo” closed Mon 2026-03-02 09:00 UTC." in out


async def test_vote_mode_counts_votes_and_crowns_the_most_voted(community: Community) -> None:
    out = await community.run(CREATE + " mode:vote channel:general")
    assert "#2 [general] Steward [contest]: 🏆 Contest #1: Best photo" in out
    out = await community.run(":as bob\n/contest enter id:1")
    assert "is decided by votes, so your entry needs text or a link" in out
    out = await community.run('/contest enter id:1 entry:"https://example.com/bob.png"')
    assert "#7 [general] Steward [contest]: Entry by bob in contest #1 “Best photo”" in out
    assert "https://example.com/bob.png\n    [1: Vote (0)]" in shown(out, 7)
    out = await community.run(":as carol\n:click 2 Enter\nSunset over the bay")
    assert "#9 [general] Steward [contest]: Entry by carol" in out

    out = await community.run(":click 9 Vote")
    assert "Steward → carol (private): You can't vote for your own entry." in out
    out = await community.run(":click 7 Vote\n:as dave\n:click 7 Vote\n:as erin\n:click 9 Vote")
    assert "[1: Vote (1)]" in shown(out, 7)  # at once; later clicks within 1 s are coalesced
    assert "[1: Vote (1)]" in shown(out, 9)
    out = await community.run(":advance 1s")
    assert "[1: Vote (2)]" in shown(out, 7)
    out = await community.run(":as dave\n:click 9 Vote\n:click 9 Vote")
    assert "Your vote in contest #1 “Best photo” is in (moved from your earlier choice)." in out
    assert "Your vote in contest #1 “Best photo” is already on this entry." in out
    out += await community.run(":advance 1s")  # let the coalesced edits land
    assert "[1: Vote (1)]" in shown(out, 7)
    assert "[1: Vote (2)]" in shown(out, 9)

    out = await community.run(":advance 2d")
    assert "🎉 Contest #1 “Best photo” — winner: carol" in out
    assert "2 votes — voting closed" in shown(out, 9)
    out = await community.run(":as frank\n:click 7 1")
    assert "that message has no buttons" in out  # voting closed: the buttons are gone
    out = await community.run(":as mia\n:in managers\n/contest reroll id:1")
    assert "🎉 Contest #1 “Best photo” — new winner: bob" in out  # the next most voted
    audit = await community.run("/contest audit id:1")
    assert "Votes: bob 1, carol 2" in audit

    details = community.app.store.call(
        lambda s: list(s.exec(select(Interaction.detail).where(Interaction.kind == "button")))
    )
    assert details.count("contest:vote:1:2") == 4  # every press is in the interaction log


async def test_a_vote_tie_is_broken_by_the_fair_draw(community: Community, monkeypatch) -> None:
    # a seed whose first draw picks the second of two tied entries, so "first wins" would fail
    seed = next(
        n.to_bytes(32, "big")
        for n in range(100)
        if int.from_bytes(hashlib.sha256(n.to_bytes(32, "big") + bytes(4)).digest(), "big") % 2
    )
    monkeypatch.setattr("bot.features.contests.commands.new_seed", lambda: seed)
    await community.run(CREATE + " mode:vote")
    await community.run(
        ":as bob\n/contest enter id:1 entry:one\n:as carol\n/contest enter id:1 entry:two"
    )
    await community.run(":as dave\n:click 8 Vote\n:as erin\n:click 5 Vote")
    out = await community.run(":advance 2d")
    assert "🎉 Contest #1 “Best photo” — winner: carol" in out
    audit = await community.run("/contest audit id:1")
    assert "Votes: bob 1, carol 1" in audit
    assert line_after(audit, "Seed: ") == seed.hex()
    assert "Draw 1 (count 1, start 0, skip none): carol" in audit


async def test_forgetting_a_member_keeps_the_audit_checkable(community: Community) -> None:
    from bot.features.contests import store as contest_store

    await community.run(CREATE + " winners:3")
    await enter_all(community, "bob", "carol", "dave")
    await community.run(":advance 2d")
    member_id = community.app.store.call(
        lambda s: s.exec(
            select(ContestEntry.member_id).where(ContestEntry.entrant_key == "carol")
        ).one()
    )
    exported = community.app.store.call(contest_store.export_member, member_id)
    assert [e["contest"] for e in exported["entries"]] == ["Best photo"]
    assert exported["entries"][0]["won"] is True
    community.app.store.call(contest_store.forget_member, member_id)
    audit = await community.run("/contest audit id:1")
    assert "carol" not in audit and "Names:" not in audit
    assert re.search(r"Entrants in order: bob, erased-\d+, dave", audit)
    rerun(audit)


async def test_closing_time_is_read_in_the_community_zone(db_url: str) -> None:
    community = await open_community(make_settings(db_url, timezone="Europe/Berlin"))
    try:
        out = await community.run(
            CREATE.replace("2d", "2026-03-03T18:00") + "\n:as bob\n/contest enter id:1"
        )
        assert "Entries close Tue 2026-03-03 18:00 CET." in out
        out = await community.run(":advance 31h59m")  # Tue 16:59 UTC = 17:59 in Berlin
        assert "🎉" not in out
        out = await community.run(":advance 1m")
        assert "🎉 Contest #1 “Best photo” — winner: bob" in out
    finally:
        await community.app.stop()
        community.app.store.close()


def test_the_audit_maps_platform_ids_to_names() -> None:
    """On Discord and Slack the published keys are user ids; the audit says whose they are."""
    from datetime import UTC, datetime

    from bot.features.contests.draw import commitment, draw
    from bot.features.contests.render import audit
    from bot.features.contests.store import ContestDraw, Entrant, Round

    seed = bytes(32)
    at = datetime(2026, 3, 2, tzinfo=UTC)
    contest = Contest(
        id=7, platform="discord", channel_id="1", title="T", mode="draw", seed_hex=seed.hex(),
        commitment=commitment(seed), created_at=at, closes_at=at, closed_at=at,
    )  # fmt: skip
    people = [
        Entrant(n, key, name, n, None, at, None, left=False)
        for n, (key, name) in enumerate([("9001", "ann"), ("9002", "bo")], 1)
    ]
    (won,) = draw(seed, ["9001", "9002"], 1, set())
    winner_id = 1 if won == "9001" else 2
    round_ = Round(ContestDraw(contest_id=7, number=1, start=0, next_start=1, count=1,
                               drawn_at=at), (), (winner_id,))  # fmt: skip
    text = audit(contest, people, [], [round_]).text
    assert "Entrants in order: 9001, 9002\nNames: 9001 = ann, 9002 = bo" in text
    assert rerun(text) == [[won]]
