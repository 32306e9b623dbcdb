"""`/contest`: fair draw and audit, rerolls, eligibility, bad input (on the neutral messages;
the console helpers here serve the other contest tests)."""

import hashlib
import re

from sqlmodel import func, select

from bot.features.contests.store import Contest, ContestEntry
from bot.store.models import Interaction
from tests.conftest import Community, make_settings, open_recorded
from tests.recording import Posted, Recorded, Said


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


def count_rows(community: Community | Recorded, table) -> int:
    return community.app.store.call(lambda s: s.exec(select(func.count()).select_from(table)).one())


CREATE_LINE = '/contest create title:"Best photo" closes:2d'


async def create(recorded: Recorded, options: str = "", line: str = CREATE_LINE) -> Posted:
    """mia, a manager, creates the contest in the managers' channel; its public post."""
    [post] = (await manage(recorded, f"{line} {options}".strip())).public("contest")
    return post


async def manage(recorded: Recorded, line: str) -> Said:
    recorded.manager("mia")
    return await recorded.command(line, by="mia", in_="managers")


async def audit_text(recorded: Recorded, contest_id: int = 1) -> str:
    [reply] = await manage(recorded, f"/contest audit id:{contest_id}")
    assert reply.private_to == recorded.member("mia")
    return reply.text


def announcements(said: Said) -> list[Posted]:
    return [p for p in said.public("contest") if p.text.startswith("🎉")]


def key(recorded: Recorded, *names: str) -> list[str]:
    """The published keys of members: their platform user ids."""
    return [recorded.member(name).user_id for name in names]


async def enter_each(recorded: Recorded, *names: str) -> None:
    for name in names:
        said = await recorded.command("/contest enter id:1", by=name)
        assert said.told(name)[0].startswith("You're in contest #1")


async def test_draw_is_reproducible_from_its_audit(recorded: Recorded) -> None:
    key(recorded, "erin", "carol", "you", "dave", "bob")  # platform ids in this order
    post = await create(recorded, "winners:2")
    assert (post.channel.name, post.labels) == ("announcements", ["Enter"])
    assert post.text.startswith("🏆 Contest #1: Best photo")
    assert "Entries close Wed 2026-03-04 09:00 UTC. 2 winners, drawn at random." in post.text
    committed = line_after(post.text, "Fair draw: SHA-256 of the secret seed is ")
    assert re.fullmatch(r"[0-9a-f]{64}", committed)
    await enter_each(recorded, "you", "bob", "carol", "dave")
    said = await recorded.click(post, "Enter", by="erin")
    assert said.told("erin")[0].startswith("You're in contest #1 “Best photo”!")
    assert "Seed: published once the contest is decided." in await audit_text(recorded)
    seed = recorded.app.store.call(lambda s: s.get(Contest, 1).seed_hex)
    shown = [v.plain_text() for p in recorded.posts for v in p.versions]
    assert len(shown) > 7 and all(seed not in text for text in shown)  # secret until the draw

    [announcement] = announcements(await recorded.advance("2d"))
    winners = winners_in(announcement.text)
    assert len(winners) == 2 and set(winners) <= {"you", "bob", "carol", "dave", "erin"}
    assert "Drawn from 5 entrants" in announcement.text
    assert "Entries closed Wed 2026-03-04 09:00 UTC" in post.text
    assert post.labels == []

    audit = await audit_text(recorded)
    assert f"Commitment (SHA-256 of the seed): {committed}" in audit
    order = key(recorded, "erin", "carol", "you", "dave", "bob")  # same time: by user id
    assert line_after(audit, "Entrants in order: ") == ", ".join(order)
    assert (
        line_after(audit, "Names: ")
        == "U001 = erin, U002 = carol, U003 = you, U004 = dave, U005 = bob"
    )
    assert "Algorithm: remaining = entrants in the published order" in audit
    assert rerun(audit) == [key(recorded, *winners)]


async def test_reroll_skips_earlier_winners_and_members_who_left(recorded: Recorded) -> None:
    await create(recorded)
    await enter_each(recorded, "you", "bob", "carol", "dave")
    [announcement] = announcements(await recorded.advance("2d"))
    (first,) = winners_in(announcement.text)
    others = [n for n in ("bob", "carol", "dave", "you") if n != first]
    gone, stays = others[:2], others[2]
    for name in gone:
        await recorded.leave(name)

    said = await manage(recorded, "/contest reroll id:1 count:2")
    [again] = announcements(said)
    assert again.text.startswith(f"🎉 Contest #1 “Best photo” — new winner: {stays}\n")
    [reply] = said.posted_in("managers")
    assert reply.startswith(
        f"Rerolled contest #1 “Best photo”: {stays} (announced in #announcements; "
    )
    assert "only 1 eligible entrant was left" in reply

    audit = await audit_text(recorded)
    skipped = line_after(audit, "Reroll 2 (count 2, start 1, skip ").split(")")[0].split(", ")
    assert sorted(skipped) == sorted(key(recorded, first, *gone))
    assert rerun(audit) == [key(recorded, first), key(recorded, stays)]

    said = await manage(recorded, "/contest reroll id:1")
    assert said.told("mia")[0].startswith("Nobody is left to draw in contest #1")
    assert announcements(said) == []
    assert "Reroll 3" not in await audit_text(recorded)


async def test_a_member_not_yet_eligible_is_told_why(recorded: Recorded) -> None:
    await recorded.join("carol")
    await recorded.advance("2d")
    post = await create(recorded, "min_days_member:7", line=CREATE_LINE.replace("2d", "14d"))
    assert "Who can enter: members for 7 days or more." in post.text
    said = await recorded.command("/contest enter id:1", by="carol")
    said += await recorded.click(post, "Enter", by="carol")
    refusal = (
        "You joined 2 days ago; this contest needs 7 days of membership — "
        "you can enter from Mon 2026-03-09 09:00 UTC."
    )
    assert said.told("carol") == [refusal, refusal]
    assert count_rows(recorded, ContestEntry) == 0
    await recorded.advance("5d")
    said = await recorded.command("/contest enter id:1", by="carol")
    assert said.told("carol")[0].startswith("You're in contest #1")
    assert count_rows(recorded, ContestEntry) == 1


async def test_a_role_requirement_is_checked(recorded: Recorded) -> None:
    await create(recorded, "role:manager")
    said = await recorded.command("/contest enter id:1", by="bob")
    assert said.told("bob") == [
        "Contest #1 “Best photo” is open to members with the role “manager”, and you don't have it."
    ]
    recorded.manager("ann")  # a member who holds the role
    said = await recorded.command("/contest enter id:1", by="ann")
    assert said.told("ann")[0].startswith("You're in contest #1")


async def test_bad_input_is_refused_privately_and_nothing_is_stored(recorded: Recorded) -> None:
    [past] = await manage(recorded, CREATE_LINE.replace("2d", "2026-03-01T10:00"))
    assert past.private_to == recorded.member("mia")
    assert past.text.startswith("The closing time Sun 2026-03-01 10:00 UTC is not in the future")
    assert "Usage: /contest create title:<string> closes:<string>" in past.text
    [unreadable] = await manage(recorded, '/contest create title:"X" closes:someday')
    assert unreadable.text.startswith(
        "`closes` must be a duration like 2d or 12h, or a date and time like"
    )
    assert count_rows(recorded, Contest) == 0

    await create(recorded)
    await enter_each(recorded, "bob")
    said = await recorded.command("/contest enter id:1", by="bob")
    assert said.told("bob") == ["You have already entered contest #1 “Best photo”; one entry each."]
    said = await recorded.command("/contest enter id:9", by="bob")
    said += await recorded.command("/contest audit id:9", by="bob")
    [enter, audit] = said.told("bob")
    assert enter.startswith("There is no contest #9.") and audit.startswith(
        "There is no contest #9."
    )
    assert "Usage: /contest enter id:<integer> [entry:<string>]" in enter
    assert count_rows(recorded, ContestEntry) == 1
    said = await recorded.command("/contest draw id:1", by="bob")
    assert said.told("bob")[0].startswith("`/contest draw` is for community managers.")
    assert announcements(said) == []
    assert count_rows(recorded, Contest) == 1


async def test_managers_list_and_remove_entrants(recorded: Recorded) -> None:
    await create(recorded, "winners:5")
    await enter_each(recorded, "bob", "carol", "dave")
    [listing] = await manage(recorded, "/contest entrants id:1")
    assert listing.text == "Entrants of contest #1 “Best photo”: 3"
    assert listing.plain.splitlines()[1:] == [
        f"{n}. {name} — Mon 2026-03-02 09:00 UTC"
        for n, name in enumerate(("bob", "carol", "dave"), 1)
    ]
    [removed] = (await manage(recorded, "/contest remove id:1 member:carol")).posted_in("managers")
    assert removed.startswith(
        "Removed carol's entry from contest #1 “Best photo”; 2 entrants remain."
    )
    await recorded.post("hello", by="zed")  # a member who never entered
    [missing] = (await manage(recorded, "/contest remove id:1 member:@zed")).told("mia")
    assert missing.startswith("zed has no entry in contest #1 “Best photo”.")
    [again] = (await manage(recorded, "/contest remove id:1 member:carol")).told("mia")
    assert again.startswith("carol has no entry in contest #1 “Best photo”.")
    said = await recorded.command("/contest enter id:1", by="carol")
    assert said.told("carol")[0].startswith("A manager removed your entry from contest #1")

    [announcement] = announcements(await recorded.advance("2d"))
    assert sorted(winners_in(announcement.text)) == ["bob", "dave"]
    audit = await audit_text(recorded)
    assert line_after(audit, "Entrants in order: ") == ", ".join(key(recorded, "bob", "dave"))
    assert line_after(audit, "Removed by managers before closing: ") == "carol"
    [final] = (await manage(recorded, "/contest remove id:1 member:bob")).told("mia")
    assert "has closed; its entrant list is final" in final


async def test_draw_now_closes_early_and_only_once(recorded: Recorded) -> None:
    post = await create(recorded)
    await enter_each(recorded, "bob")
    said = await manage(recorded, "/contest draw id:1")
    [announcement] = announcements(said)
    assert announcement.text.startswith("🎉 Contest #1 “Best photo” — winner: bob")
    assert said.posted_in("managers") == [
        "Closed contest #1 “Best photo” and decided it: bob (announced in #announcements)."
    ]
    await recorded.advance("1s")  # the post's edit, coalesced with the entry's
    assert post.labels == [] and "Entries closed Mon 2026-03-02 09:00 UTC." in post.text
    said = await manage(recorded, "/contest draw id:1")
    [again] = said.told("mia")
    assert "is decided already; `/contest reroll id:1` draws more winners." in again
    said += await recorded.advance("3d")
    assert announcements(said) == []
    said = await recorded.command("/contest enter id:1", by="carol")
    assert said.told("carol")[0].startswith(
        "Entries for contest #1 “Best photo” closed Mon 2026-03-02 09:00 UTC."
    )


async def test_vote_mode_counts_votes_and_crowns_the_most_voted(recorded: Recorded) -> None:
    post = await create(recorded, "mode:vote channel:general")
    assert (post.channel.name, post.message.tag) == ("general", "contest")
    assert post.text.startswith("🏆 Contest #1: Best photo")
    said = await recorded.command("/contest enter id:1", by="bob")
    assert "is decided by votes, so your entry needs text or a link" in said.told("bob")[0]
    said = await recorded.command(
        '/contest enter id:1 entry:"https://example.com/bob.png"', by="bob"
    )
    [bob] = said.public("contest")
    assert (bob.channel.name, bob.labels) == ("general", ["Vote (0)"])
    assert bob.text == "Entry by bob in contest #1 “Best photo”\nhttps://example.com/bob.png"
    assert await recorded.click(post, "Enter", by="carol") == []  # a form opens
    [carol] = (await recorded.submit("Sunset over the bay", by="carol")).public("contest")
    assert carol.text == "Entry by carol in contest #1 “Best photo”\nSunset over the bay"

    said = await recorded.click(carol, "Vote", by="carol")
    assert said.told("carol") == ["You can't vote for your own entry."]
    for voter, entry in (("carol", bob), ("dave", bob), ("erin", carol)):
        await recorded.click(entry, "Vote", by=voter)
    assert bob.labels == ["Vote (1)"]  # at once; later clicks within 1 s are coalesced
    assert carol.labels == ["Vote (1)"]
    await recorded.advance("1s")
    assert bob.labels == ["Vote (2)"]
    moved = await recorded.click(carol, "Vote", by="dave")
    assert moved.told("dave") == [
        "Your vote in contest #1 “Best photo” is in (moved from your earlier choice)."
    ]
    again = await recorded.click(carol, "Vote", by="dave")
    assert again.told("dave") == ["Your vote in contest #1 “Best photo” is already on this entry."]
    await recorded.advance("1s")  # let the coalesced edits land
    assert (bob.labels, carol.labels) == (["Vote (1)"], ["Vote (2)"])

    [announcement] = announcements(await recorded.advance("2d"))
    assert announcement.text.startswith("🎉 Contest #1 “Best photo” — winner: carol")
    assert "2 votes — voting closed" in carol.plain
    assert bob.labels == [] and carol.labels == []  # voting closed: the buttons are gone
    said = await recorded.press(bob, "contest:vote:1:1", by="frank")  # a stale client
    assert said.public() == []
    assert said.told("frank") == [
        "Voting in contest #1 “Best photo” closed Wed 2026-03-04 09:00 UTC."
    ]
    [reroll] = announcements(await manage(recorded, "/contest reroll id:1"))
    assert reroll.text.startswith("🎉 Contest #1 “Best photo” — new winner: bob")  # next most voted
    audit = await audit_text(recorded)
    assert "Votes: {} 1, {} 2".format(*key(recorded, "bob", "carol")) in audit  # by platform id

    details = recorded.app.store.call(
        lambda s: list(s.exec(select(Interaction.detail).where(Interaction.kind == "button")))
    )
    assert details.count("contest:vote:1:2") == 4  # every press is in the interaction log


async def test_a_vote_tie_is_broken_by_the_fair_draw(recorded: Recorded, monkeypatch) -> None:
    # a seed whose first draw picks the second of two tied entries, so "first wins" would fail
    seed = next(
        n.to_bytes(32, "big")
        for n in range(100)
        if int.from_bytes(hashlib.sha256(n.to_bytes(32, "big") + bytes(4)).digest(), "big") % 2
    )
    monkeypatch.setattr("bot.features.contests.commands.new_seed", lambda: seed)
    await create(recorded, "mode:vote")
    [one] = (await recorded.command("/contest enter id:1 entry:one", by="bob")).public("contest")
    [two] = (await recorded.command("/contest enter id:1 entry:two", by="carol")).public("contest")
    await recorded.click(two, "Vote", by="dave")
    await recorded.click(one, "Vote", by="erin")
    [announcement] = announcements(await recorded.advance("2d"))
    assert announcement.text.startswith("🎉 Contest #1 “Best photo” — winner: carol")
    audit = await audit_text(recorded)
    bob, carol = key(recorded, "bob", "carol")
    assert f"Votes: {bob} 1, {carol} 1" in audit
    assert line_after(audit, "Seed: ") == seed.hex()
    assert f"Draw 1 (count 1, start 0, skip none): {carol}" in audit


async def test_forgetting_a_member_keeps_the_audit_checkable(recorded: Recorded) -> None:
    from bot.features.contests import store as contest_store

    await create(recorded, "winners:3")
    await enter_each(recorded, "bob", "carol", "dave")
    await recorded.advance("2d")
    [carol] = key(recorded, "carol")
    member_id = recorded.app.store.call(
        lambda s: s.exec(
            select(ContestEntry.member_id).where(ContestEntry.entrant_key == carol)
        ).one()
    )
    exported = recorded.app.store.call(contest_store.export_member, member_id)
    assert [e["contest"] for e in exported["entries"]] == ["Best photo"]
    assert exported["entries"][0]["won"] is True
    assert "carol" in await audit_text(recorded)
    recorded.app.store.call(contest_store.forget_member, member_id)
    audit = await audit_text(recorded)
    assert "carol" not in audit and carol not in audit
    bob, dave = key(recorded, "bob", "dave")
    assert re.search(rf"Entrants in order: {bob}, erased-\d+, {dave}", audit)
    rerun(audit)


async def test_closing_time_is_read_in_the_community_zone(db_url: str) -> None:
    recorded = await open_recorded(make_settings(db_url, timezone="Europe/Berlin"))
    try:
        post = await create(recorded, line=CREATE_LINE.replace("2d", "2026-03-03T18:00"))
        await enter_each(recorded, "bob")
        assert "Entries close Tue 2026-03-03 18:00 CET." in post.text
        said = await recorded.advance("31h59m")  # Tue 16:59 UTC = 17:59 in Berlin
        assert announcements(said) == []
        [announcement] = announcements(await recorded.advance("1m"))
        assert announcement.text.startswith("🎉 Contest #1 “Best photo” — winner: bob")
    finally:
        await recorded.app.stop()
        recorded.app.store.close()


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
        Entrant(n, key, name, n, None, at, left=False)
        for n, (key, name) in enumerate([("9001", "ann"), ("9002", "bo")], 1)
    ]
    (won,) = draw(seed, ["9001", "9002"], 1, set())
    winner_id = 1 if won == "9001" else 2
    round_ = Round(ContestDraw(contest_id=7, number=1, start=0, next_start=1, count=1,
                               drawn_at=at), (), (winner_id,))  # fmt: skip
    text = audit(contest, people, [], [round_]).text
    assert "Entrants in order: 9001, 9002\nNames: 9001 = ann, 9002 = bo" in text
    assert rerun(text) == [[won]]
