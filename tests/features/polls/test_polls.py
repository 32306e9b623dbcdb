"""Polls: live counts, moving and toggling votes, bursts, closing, turnout (neutral messages)."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from bot.features.polls.store import Poll, PollVote
from bot.store.models import Interaction
from tests.conftest import Community
from tests.recording import Posted, Recorded

CREATE = '/poll create question:"Best AMA day?" options:"Mon | Wed | Fri"'


def rows(community: Community | Recorded, model) -> list:
    return community.app.store.call(lambda s: list(s.exec(select(model)).all()))


async def open_poll(recorded: Recorded, options: str = "", by: str = "you") -> Posted:
    """Create the Mon/Wed/Fri poll (with extra options) and return its post."""
    [poll] = (await recorded.command(f"{CREATE} {options}".strip(), by=by)).public("poll")
    return poll


def results_posts(posts: list[Posted]) -> list[Posted]:
    return [p for p in posts if not p.private and p.text.startswith("Results:")]


async def test_create_posts_buttons_and_tells_the_author(recorded: Recorded) -> None:
    said = await recorded.command(CREATE)
    [poll] = said.public("poll")
    assert (poll.channel.name, poll.text) == ("general", "Best AMA day?")
    assert poll.message.sections[0].title == "Poll 1 · single choice"
    assert poll.fields["Mon"] == "░░░░░░░░░░ 0 · 0%"
    assert "0 voters · closes Tue 2026-03-03 09:00 UTC" in poll.plain  # default: 24 hours
    assert poll.labels == ["Mon · 0", "Wed · 0", "Fri · 0"]
    assert said.told("you")[0].startswith("Poll 1 is open.")
    [stored] = rows(recorded, Poll)
    assert stored.created_by is not None and stored.created_at == recorded.clock.now()


async def test_burst_of_200_votes_is_exact_within_one_edit_per_second(
    recorded: Recorded,
) -> None:
    poll = await open_poll(recorded)
    start = recorded.clock.now()
    choices = ("Mon", "Wed", "Fri")
    told = []
    for n in range(200):
        said = await recorded.click(poll, choices[n % 3], by=f"voter{n}")
        told += said.told(f"voter{n}")
    assert sum(text.startswith("You voted for") for text in told) == 200
    await recorded.advance("2s")

    assert poll.fields["Mon"] == "███░░░░░░░ 67 · 34%"
    assert poll.fields["Wed"] == "███░░░░░░░ 67 · 34%"
    assert poll.fields["Fri"] == "███░░░░░░░ 66 · 33%"
    assert "200 voters" in poll.plain
    assert poll.labels == ["Mon · 67", "Wed · 67", "Fri · 66"]
    elapsed = (recorded.clock.now() - start).total_seconds()
    assert poll.edits == recorded.app.updates.edits_made
    assert 1 <= poll.edits <= 1 + elapsed
    assert len(rows(recorded, PollVote)) == 200
    clicks = [i for i in rows(recorded, Interaction) if i.kind == "button"]
    assert len(clicks) == 200  # every vote is engagement in the log, on a "poll" post
    assert {(i.detail, i.content_type) for i in clicks} == {("poll:vote:1", "poll")}


async def test_single_choice_click_moves_the_vote_and_same_option_removes_it(
    recorded: Recorded,
) -> None:
    poll = await open_poll(recorded)
    assert (await recorded.click(poll, "Wed", by="bob")).told("bob") == ["You voted for Wed."]
    await recorded.advance("1s")
    moved = await recorded.click(poll, "Fri", by="bob")
    assert moved.told("bob") == ["Vote moved to Fri (was Wed)."]
    await recorded.advance("1s")
    assert poll.labels == ["Mon · 0", "Wed · 0", "Fri · 1"]
    assert "1 voter ·" in poll.plain

    removed = await recorded.click(poll, "Fri", by="bob")
    assert removed.told("bob") == ["Removed your vote for Fri."]
    await recorded.advance("1s")
    assert poll.labels == ["Mon · 0", "Wed · 0", "Fri · 0"]
    assert rows(recorded, PollVote) == []


async def test_multi_choice_click_toggles_each_option(recorded: Recorded) -> None:
    poll = await open_poll(recorded, "multi:true")
    assert poll.message.sections[0].title == "Poll 1 · multiple choice"
    said = await recorded.click(poll, "Mon", by="bob")
    said += await recorded.click(poll, "Fri", by="bob")
    await recorded.click(poll, "Fri", by="carol")
    await recorded.advance("1s")
    assert said.told("bob") == ["Added your vote for Mon.", "Added your vote for Fri."]
    assert poll.fields["Fri"] == "██████████ 2 · 100%"  # shares are of voters: both picked Fri
    assert poll.fields["Mon"] == "█████░░░░░ 1 · 50%"
    assert "2 voters" in poll.plain

    said = await recorded.click(poll, "Mon", by="bob")
    await recorded.advance("1s")
    assert said.told("bob") == ["Removed your vote for Mon."]
    assert poll.labels == ["Mon · 0", "Wed · 0", "Fri · 2"]


async def test_closes_at_its_time_once_with_results_and_chart(recorded: Recorded) -> None:
    poll = await open_poll(recorded, "closes:2h")
    for voter, choice in (("bob", "Wed"), ("carol", "Wed"), ("dave", "Fri")):
        await recorded.click(poll, choice, by=voter)
    assert results_posts(await recorded.advance("1h59m")) == []
    [results] = results_posts(await recorded.advance("1m"))

    assert "3 voters · closed Mon 2026-03-02 11:00 UTC" in poll.plain
    assert poll.labels == []  # no buttons once closed
    assert (results.channel.name, results.message.tag) == ("general", "poll")
    assert results.text.startswith("Results: Best AMA day?")
    assert results.fields["Wed"] == "███████░░░ 2 · 67%"
    assert "Winner: Wed (2 votes)" in results.plain
    image = results.message.image
    assert image is not None and image.filename == "poll-1-results.png"
    assert image.data.startswith(b"\x89PNG")

    assert results_posts(await recorded.advance("2d")) == []  # closed exactly once
    [stored] = rows(recorded, Poll)
    assert stored.closed_at == stored.closes_at and stored.closed_by is None


async def test_tie_lists_every_winner_and_no_votes_has_none(recorded: Recorded) -> None:
    poll = await open_poll(recorded)
    await recorded.command('/poll create question:Empty? options:"a | b"')
    await recorded.click(poll, "Mon", by="bob")
    await recorded.click(poll, "Fri", by="carol")
    tie, empty = results_posts(await recorded.advance("1d"))
    assert "Tie: Mon, Fri (1 vote each)" in tie.plain
    assert "Winner: none (nobody voted)" in empty.plain


async def test_voting_on_a_closed_poll_is_refused(recorded: Recorded) -> None:
    poll = await open_poll(recorded)
    await recorded.command("/poll close id:1")
    said = await recorded.press(poll, "poll:vote:1:0", by="bob")  # a button it no longer shows
    assert said.told("bob") == ["Poll 1 is closed; it no longer takes votes."]
    assert rows(recorded, PollVote) == []


async def test_close_by_command_author_or_manager_only(recorded: Recorded) -> None:
    poll = await open_poll(recorded)
    await recorded.click(poll, "Mon", by="bob")
    said = await recorded.command("/poll close id:1", by="bob")
    assert said.told("bob") == ["Only the author of poll 1 or a manager can close it."]
    assert results_posts(said) == []

    said = await recorded.command("/poll close id:1")
    said += await recorded.advance("1s")
    assert said.told("you")[0].startswith("Closed poll 1")
    [results] = results_posts(said)
    assert "Winner: Mon (1 vote)" in results.plain
    assert "1 voter · closed Mon 2026-03-02 09:00 UTC" in poll.plain
    said = await recorded.command("/poll close id:1")
    assert said.told("you") == ["Poll 1 is already closed."]

    await recorded.command('/poll create question:Tea? options:"yes | no"', by="bob")
    recorded.manager("mia")
    said = await recorded.command("/poll close id:2", by="mia")
    assert said.told("mia")[0].startswith("Closed poll 2")
    closed_by = {p.id: p.closed_by for p in rows(recorded, Poll)}
    assert closed_by[1] is not None and closed_by[2] is not None


async def test_hidden_results_show_only_to_managers_until_close(
    recorded: Recorded,
) -> None:
    poll = await open_poll(recorded, "hide_results:true")
    assert "results hidden until then" in poll.plain
    assert poll.labels == ["Mon", "Wed", "Fri"]
    await recorded.click(poll, "Wed", by="bob")
    await recorded.advance("1s")
    [private] = (await recorded.command("/poll results id:1", by="bob")).told("bob")
    assert poll.labels == ["Mon", "Wed", "Fri"]
    assert "1 voter ·" in poll.plain
    assert "Results are hidden until the poll closes" in private
    assert "Wed:" not in private

    [author] = (await recorded.command("/poll results id:1")).told("you")  # a plain member
    assert "Results are hidden until the poll closes" in author
    assert "Wed:" not in author and "bob" not in author
    recorded.manager("mia")
    [manager] = (await recorded.command("/poll results id:1", by="mia")).told("mia")
    assert "Wed: ██████████ 1 · 100%" in manager
    [author] = (await recorded.command("/poll results id:1")).told("you")
    assert "Wed:" not in author
    await recorded.advance("1d")
    assert poll.fields["Wed"] == "██████████ 1 · 100%"
    [private] = (await recorded.command("/poll results id:1", by="bob")).told("bob")
    assert "Wed: ██████████ 1 · 100%" in private


async def test_turnout_counts_members_active_in_the_week_before_close(
    recorded: Recorded,
) -> None:
    await recorded.post("old news", by="carol")
    await recorded.post("older news", by="dave")
    await recorded.advance("8d")  # carol and dave are no longer active this week
    await recorded.post("hello", by="erin")
    poll = await open_poll(recorded)
    await recorded.click(poll, "Mon", by="alice")
    await recorded.click(poll, "Wed", by="bob")
    [results] = results_posts(await recorded.advance("1d"))
    # active: erin, you, alice, bob — two of them voted
    assert "Turnout: 2 voters of 4 members active that week (50%)" in results.plain


async def test_votes_of_a_member_who_left_stay_counted(recorded: Recorded) -> None:
    poll = await open_poll(recorded)
    await recorded.click(poll, "Fri", by="bob")
    await recorded.leave("bob")
    [results] = results_posts(await recorded.advance("1d"))
    assert results.fields["Fri"] == "██████████ 1 · 100%"


async def test_closing_time_in_the_community_zone(recorded: Recorded) -> None:
    poll = await open_poll(recorded, "closes:2026-03-04T18:30")
    assert "closes Wed 2026-03-04 18:30 UTC" in poll.plain
    [stored] = rows(recorded, Poll)
    assert stored.closes_at - recorded.clock.now() == timedelta(days=2, hours=9, minutes=30)


async def test_a_click_at_the_closing_time_is_refused_before_the_job_runs(
    recorded: Recorded,
) -> None:
    """The scheduler fires a moment late (or after downtime): the deadline still holds."""
    poll = await open_poll(recorded, "closes:1h")
    await recorded.click(poll, "Mon", by="bob")
    recorded.clock.set(recorded.clock.now() + timedelta(hours=1))  # jobs have not run yet
    said = await recorded.press(poll, "poll:vote:1:2", by="carol")  # then the jobs run
    [refusal] = [p for p in said if p.private_to == recorded.member("carol")]
    assert refusal.text == "Poll 1 is closed; it no longer takes votes."
    [results] = results_posts(said)
    assert said.index(refusal) < said.index(results)
    assert "Winner: Mon (1 vote)" in results.plain
    assert len(rows(recorded, PollVote)) == 1
