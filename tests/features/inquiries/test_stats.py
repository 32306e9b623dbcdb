"""`/inquiries stats` and `/inquiries open` as managers read them; percentiles checked by hand."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.features.inquiries.stats import percentile
from tests.features.inquiries.support import inquiries
from tests.recording import Recorded

# minutes from question to first answer, for eight questions answered in this order
MINUTES = [3, 7, 1, 12, 30, 5, 90, 8]


def test_percentiles_interpolate_between_the_nearest_values() -> None:
    # sorted: 1 3 5 7 8 12 30 90 (n = 8)
    # median: rank 0.5 × 7 = 3.5 → between the 4th (7) and 5th (8) value: 7 + 0.5 × 1 = 7.5
    # p90:    rank 0.9 × 7 = 6.3 → between the 7th (30) and 8th (90): 30 + 0.3 × 60 = 48
    assert percentile(MINUTES, 0.5) == 7.5
    assert percentile(MINUTES, 0.9) == pytest.approx(48.0)
    assert percentile([4], 0.9) == 4
    assert percentile([], 0.5) is None


async def manage(recorded: Recorded, line: str):
    recorded.manager("mia")
    return await recorded.command(line, by="mia", in_="managers")


async def test_stats_show_the_hand_computed_median_and_p90(recorded: Recorded) -> None:
    recorded.manager("mia")
    for n, minutes in enumerate(MINUTES):
        asked = await recorded.post(f"How do I do thing {n}?", by=f"asker{n}", in_="help")
        await recorded.advance(timedelta(minutes=minutes))
        by = "mia" if n in (1, 6) else "helper"  # managers answered 7 and 90 minutes
        await recorded.reply(asked, "Like this.", by=by)
        await recorded.advance("1h")
    await recorded.post("Where is the meetup?", by="late", in_="help")  # still waiting
    [answer] = (await manage(recorded, "/inquiries stats")).told("mia")
    assert "Questions: 9" in answer
    assert "Answered: 8 (89%)" in answer
    assert "Waiting: 1 (0 past the SLA)" in answer
    assert "First response: median 7m · p90 48m" in answer  # 7.5 min: shown to the minute
    # managers' first responses: 7 and 90 minutes → median 48.5 min, p90 7 + 0.9 × 83 = 81.7
    assert "First manager response: median 48m · p90 1h 21m" in answer
    assert "Answered by members: 75% of answered" in answer
    assert "#help: 9 asked, 89% answered, median 7m" in answer


async def test_stats_leave_out_what_was_marked_not_a_question(recorded: Recorded) -> None:
    await recorded.post("How do I add a bot?", by="bob", in_="help")
    await recorded.post("Is the meetup on?", by="cy", in_="help")
    await manage(recorded, "/inquiries dismiss id:2")
    [answer] = (await manage(recorded, "/inquiries stats days:1")).told("mia")
    assert answer.startswith("Member questions in the last day · 1 marked “not a question”")
    assert "Questions: 1" in answer


async def test_stats_with_no_questions_say_so(recorded: Recorded) -> None:
    [answer] = (await manage(recorded, "/inquiries stats days:30")).told("mia")
    assert answer == "No member questions in the last 30 days."


async def test_open_lists_waiting_questions_oldest_first_with_age_and_assignee(
    recorded: Recorded,
) -> None:
    await recorded.post("How do I add a bot?", by="bob", in_="help")
    await recorded.advance("90m")
    answered = await recorded.post("Is the meetup on?", by="cy", in_="help")
    await recorded.reply(answered, "Yes!", by="dee")
    await recorded.advance("10m")
    await recorded.post("Where are the slides?", by="eve", in_="help")
    [answer] = (await manage(recorded, "/inquiries open")).told("mia")
    lines = answer.splitlines()
    assert lines[0] == "2 question(s) waiting, 1 past the SLA (⏰), oldest first:"
    assert lines[1].startswith("#1 · 1h 40m ⏰ · #help · @bob · unassigned · “How do I add a bot?”")
    assert lines[2].startswith("#3 · 0s · #help · @eve · unassigned · “Where are the slides?”")


async def test_open_with_nothing_waiting(recorded: Recorded) -> None:
    [answer] = (await manage(recorded, "/inquiries open")).told("mia")
    assert answer == "No member question is waiting for an answer. 🎉"


async def test_members_cannot_run_the_managers_commands(recorded: Recorded) -> None:
    said = await recorded.command("/inquiries open", by="bob", in_="general")
    [refusal] = said.told("bob")
    assert "manager" in refusal
    assert inquiries(recorded.app) == []


async def test_resolve_and_dismiss_change_only_the_inquiry_named(recorded: Recorded) -> None:
    await recorded.post("How do I add a bot?", by="bob", in_="help")
    [missing] = (await manage(recorded, "/inquiries resolve id:7")).told("mia")
    assert missing.startswith("There is no inquiry #7. `/inquiries open` lists the waiting ones.")
    [done] = (await manage(recorded, "/inquiries resolve id:1")).told("mia")
    assert done == "Inquiry #1 is resolved."
    [again] = (await manage(recorded, "/inquiries dismiss id:1")).told("mia")
    assert again == "Inquiry #1 is marked “not a question” (it was resolved)."
    [inquiry] = inquiries(recorded.app)
    assert inquiry.status == "dismissed"
