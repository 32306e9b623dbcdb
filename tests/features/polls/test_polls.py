"""Polls in the console: live counts, moving and toggling votes, bursts, closing, turnout."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from bot.core.events import ButtonPressed, MemberRef
from bot.features.polls.store import Poll, PollVote
from bot.store.models import Interaction
from tests.conftest import Community

CREATE = '/poll create question:"Best AMA day?" options:"Mon | Wed | Fri"'


def last_block(out: str, header: str) -> str:
    """The last printed message whose header starts with `header`, with its indented body."""
    start = out.rindex(header)
    lines = out[start:].splitlines()
    body = [lines[0]]
    for line in lines[1:]:
        if not line.startswith("    "):
            break
        body.append(line)
    return "\n".join(body)


def rows(community: Community, model) -> list:
    return community.app.store.call(lambda s: list(s.exec(select(model)).all()))


async def test_create_posts_buttons_and_tells_the_author(community: Community) -> None:
    out = await community.run(CREATE)
    poll = last_block(out, "#2 [general] Steward [poll]")
    assert "Best AMA day?" in poll
    assert "Poll 1 · single choice" in poll
    assert "Mon: ░░░░░░░░░░ 0 · 0%" in poll
    assert "0 voters · closes Tue 2026-03-03 09:00 UTC" in poll  # default: 24 hours
    assert "[1: Mon · 0] [2: Wed · 0] [3: Fri · 0]" in poll
    assert "Steward → you (private): Poll 1 is open." in out
    [stored] = rows(community, Poll)
    assert stored.created_by is not None and stored.created_at == community.clock.now()


async def test_burst_of_200_votes_is_exact_within_one_edit_per_second(
    community: Community,
) -> None:
    await community.run(CREATE)
    start = community.clock.now()
    choices = ("Mon", "Wed", "Fri")
    script = "\n".join(f":as voter{n}\n:click 2 {choices[n % 3]}" for n in range(200))
    out = await community.run(script)
    assert out.count("(private): You voted for") == 200
    out += await community.run(":advance 2s")

    final = last_block(out, "#2 (edited)")
    assert "Mon: ███░░░░░░░ 67 · 34%" in final
    assert "Wed: ███░░░░░░░ 67 · 34%" in final
    assert "Fri: ███░░░░░░░ 66 · 33%" in final
    assert "200 voters" in final
    assert "[1: Mon · 67] [2: Wed · 67] [3: Fri · 66]" in final
    elapsed = (community.clock.now() - start).total_seconds()
    edits = community.adapter.edits[2]
    assert edits == community.app.updates.edits_made
    assert 1 <= edits <= 1 + elapsed
    assert len(rows(community, PollVote)) == 200
    clicks = [i for i in rows(community, Interaction) if i.kind == "button"]
    assert len(clicks) == 200  # every vote is engagement in the log, on a "poll" post
    assert {(i.detail, i.content_type) for i in clicks} == {("poll:vote:1", "poll")}


async def test_single_choice_click_moves_the_vote_and_same_option_removes_it(
    community: Community,
) -> None:
    await community.run(CREATE)
    out = await community.run(":as bob\n:click 2 Wed\n:advance 1s\n:click 2 Fri\n:advance 1s")
    assert "Steward → bob (private): You voted for Wed." in out
    assert "Steward → bob (private): Vote moved to Fri (was Wed)." in out
    final = last_block(out, "#2 (edited)")
    assert "[1: Mon · 0] [2: Wed · 0] [3: Fri · 1]" in final
    assert "1 voter ·" in final

    out = await community.run(":click 2 Fri\n:advance 1s")
    assert "Steward → bob (private): Removed your vote for Fri." in out
    assert "[1: Mon · 0] [2: Wed · 0] [3: Fri · 0]" in last_block(out, "#2 (edited)")
    assert rows(community, PollVote) == []


async def test_multi_choice_click_toggles_each_option(community: Community) -> None:
    out = await community.run(CREATE + " multi:true")
    assert "Poll 1 · multiple choice" in out
    out = await community.run(
        ":as bob\n:click 2 Mon\n:click 2 Fri\n:as carol\n:click 2 Fri\n:advance 1s"
    )
    assert "Steward → bob (private): Added your vote for Mon." in out
    assert "Steward → bob (private): Added your vote for Fri." in out
    final = last_block(out, "#2 (edited)")
    assert "Fri: ██████████ 2 · 100%" in final  # shares are of voters: both picked Fri
    assert "Mon: █████░░░░░ 1 · 50%" in final
    assert "2 voters" in final

    out = await community.run(":as bob\n:click 2 Mon\n:advance 1s")
    assert "Steward → bob (private): Removed your vote for Mon." in out
    assert "[1: Mon · 0] [2: Wed · 0] [3: Fri · 2]" in last_block(out, "#2 (edited)")


async def test_closes_at_its_time_once_with_results_and_chart(community: Community) -> None:
    await community.run(CREATE + " closes:2h")
    await community.run(":as bob\n:click 2 Wed\n:as carol\n:click 2 Wed\n:as dave\n:click 2 Fri")
    out = await community.run(":advance 1h59m")
    assert "Results:" not in out
    out = await community.run(":advance 1m")

    closed = last_block(out, "#2 (edited)")
    assert "3 voters · closed Mon 2026-03-02 11:00 UTC" in closed
    assert "[1:" not in closed  # no buttons once closed
    results = last_block(out, "[general] Steward [poll]: Results: Best AMA day?")
    assert "Wed: ███████░░░ 2 · 67%" in results
    assert "Winner: Wed (2 votes)" in results
    assert "[image poll-1-results.png" in results
    image = community.adapter.shown[max(community.adapter.shown)].message.image
    assert image is not None and image.data.startswith(b"\x89PNG")

    out = await community.run(":advance 2d")
    assert "Results:" not in out  # closed exactly once
    [poll] = rows(community, Poll)
    assert poll.closed_at == poll.closes_at and poll.closed_by is None


async def test_tie_lists_every_winner_and_no_votes_has_none(community: Community) -> None:
    await community.run(CREATE + '\n/poll create question:Empty? options:"a | b"')
    await community.run(":as bob\n:click 2 Mon\n:as carol\n:click 2 Fri")
    out = await community.run(":advance 1d")
    assert "Tie: Mon, Fri (1 vote each)" in out
    assert "Winner: none (nobody voted)" in out


async def test_voting_on_a_closed_poll_is_refused(community: Community) -> None:
    await community.run(CREATE + "\n/poll close id:1")
    out = await press_stale_button(community, "bob", "poll:vote:1:0")
    assert "Steward → bob (private): Poll 1 is closed; it no longer takes votes." in out
    assert rows(community, PollVote) == []


async def test_close_by_command_author_or_manager_only(community: Community) -> None:
    await community.run(CREATE + "\n:as bob\n:click 2 Mon")
    out = await community.run("/poll close id:1")
    assert "Steward → bob (private): Only the author of poll 1 or a manager can close it." in out
    assert "Results:" not in out

    out = await community.run(":as you\n/poll close id:1\n:advance 1s")
    assert "Steward → you (private): Closed poll 1" in out
    assert "Winner: Mon (1 vote)" in out
    assert "1 voter · closed Mon 2026-03-02 09:00 UTC" in last_block(out, "#2 (edited)")
    out = await community.run("/poll close id:1")
    assert "Steward → you (private): Poll 1 is already closed." in out

    await community.run(':as bob\n/poll create question:Tea? options:"yes | no"')
    out = await community.run(":as mia manager\n/poll close id:2")
    assert "Steward → mia (private): Closed poll 2" in out
    closed_by = {p.id: p.closed_by for p in rows(community, Poll)}
    assert closed_by[1] is not None and closed_by[2] is not None


async def test_hidden_results_show_only_to_managers_until_close(
    community: Community,
) -> None:
    out = await community.run(CREATE + " hide_results:true")
    poll = last_block(out, "#2 [general] Steward [poll]")
    assert "results hidden until then" in poll
    assert "[1: Mon] [2: Wed] [3: Fri]" in poll
    out = await community.run(":as bob\n:click 2 Wed\n:advance 1s\n/poll results id:1")
    assert "[1: Mon] [2: Wed] [3: Fri]" in last_block(out, "#2 (edited)")
    assert "1 voter ·" in last_block(out, "#2 (edited)")
    private = last_block(out, "Steward → bob (private): Poll 1")
    assert "Results are hidden until the poll closes" in private
    assert "Wed:" not in private

    out = await community.run(":as you\n/poll results id:1")  # the author, a plain member
    author = last_block(out, "Steward → you (private): Poll 1")
    assert "Results are hidden until the poll closes" in author
    assert "Wed:" not in author and "bob" not in author
    out = await community.run(":as mia manager\n/poll results id:1")
    assert "Wed: ██████████ 1 · 100%" in last_block(out, "Steward → mia (private): Poll 1")
    out = await community.run(":as you\n/poll results id:1")
    assert "Wed:" not in last_block(out, "Steward → you (private): Poll 1")
    out = await community.run(":as bob\n:advance 1d\n/poll results id:1")
    assert "Wed: ██████████ 1 · 100%" in last_block(out, "#2 (edited)")
    assert "Wed: ██████████ 1 · 100%" in last_block(out, "Steward → bob (private): Poll 1")


async def test_turnout_counts_members_active_in_the_week_before_close(
    community: Community,
) -> None:
    await community.run(":as carol\nold news\n:as dave\nolder news")
    await community.run(":advance 8d")  # carol and dave are no longer active this week
    await community.run(":as erin\nhello\n:as you\n" + CREATE)
    out = await community.run(":as alice\n:click 5 Mon\n:as bob\n:click 5 Wed\n:advance 1d")
    # active: erin, you, alice, bob — two of them voted
    assert "Turnout: 2 voters of 4 members active that week (50%)" in out


async def test_votes_of_a_member_who_left_stay_counted(community: Community) -> None:
    await community.run(CREATE + "\n:as bob\n:click 2 Fri\n:leave bob")
    out = await community.run(":advance 1d")
    assert "Fri: ██████████ 1 · 100%" in last_block(out, "Steward [poll]: Results")


async def test_closing_time_in_the_community_zone(community: Community) -> None:
    out = await community.run(CREATE + " closes:2026-03-04T18:30")
    assert "closes Wed 2026-03-04 18:30 UTC" in out
    [poll] = rows(community, Poll)
    assert poll.closes_at - community.clock.now() == timedelta(days=2, hours=9, minutes=30)


async def test_a_click_at_the_closing_time_is_refused_before_the_job_runs(
    community: Community,
) -> None:
    """The scheduler fires a moment late (or after downtime): the deadline still holds."""
    await community.run(CREATE + " closes:1h\n:as bob\n:click 2 Mon")
    community.clock.set(community.clock.now() + timedelta(hours=1))  # jobs have not run yet
    out = await press_stale_button(community, "carol", "poll:vote:1:2")
    assert "Steward → carol (private): Poll 1 is closed; it no longer takes votes." in out
    out = await community.run(":advance 0s")
    assert "Winner: Mon (1 vote)" in last_block(out, "Steward [poll]: Results")
    assert len(rows(community, PollVote)) == 1


async def press_stale_button(community: Community, name: str, action_id: str) -> str:
    """Press a button of poll message #2 the console no longer shows (closed, or not yet closed
    by its job); return what was printed."""
    await community.app.handle(
        ButtonPressed(
            event_id=f"stale-{name}-{action_id}",
            member=MemberRef("console", name, name),
            channel=community.adapter.channels["general"],
            at=community.clock.now(),
            message_id=community.adapter.message_id(2),
            action_id=action_id,
        )
    )
    return community.new_output()
