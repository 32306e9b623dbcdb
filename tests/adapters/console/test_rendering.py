"""How the console prints what features send: a poll with its bars and buttons, its edits, private
replies, and a form asked line by line. (Feature tests read the neutral messages instead.)"""

from __future__ import annotations

from tests.conftest import Community

CREATE = '/poll create question:"Best AMA day?" options:"Mon | Wed | Fri"'
SURVEY = (
    ":as mia manager\n:in managers\n"
    '/survey create title:"March meetup" questions:"How useful was it? (1-5) | What next?"'
)


async def test_a_poll_prints_its_sections_fields_and_numbered_buttons(community: Community) -> None:
    out = await community.run(CREATE)
    assert out.splitlines()[1:7] == [
        "#2 [general] Steward [poll]: Best AMA day?",
        "    == Poll 1 · single choice ==",
        "    Mon: ░░░░░░░░░░ 0 · 0%",
        "    Wed: ░░░░░░░░░░ 0 · 0%",
        "    Fri: ░░░░░░░░░░ 0 · 0%",
        "    0 voters · closes Tue 2026-03-03 09:00 UTC · click another option to move your vote",
    ]
    assert "    [1: Mon · 0] [2: Wed · 0] [3: Fri · 0]" in out.splitlines()
    assert "#3 [general] Steward → you (private): Poll 1 is open." in out


async def test_a_click_by_label_or_number_and_the_edit_that_follows(community: Community) -> None:
    await community.run(CREATE)
    out = await community.run(":as bob\n:click 2 Wed\n:as carol\n:click 2 3\n:advance 1s")
    assert "  bob pressed [Wed · 0] on #2" in out
    assert "Steward → bob (private): You voted for Wed." in out
    assert "  carol pressed [Fri · 0] on #2" in out
    edited = out[out.rindex("#2 (edited) [general] Steward [poll]: Best AMA day?") :]
    assert "    [1: Mon · 0] [2: Wed · 1] [3: Fri · 1]" in edited
    assert "    Wed: █████░░░░░ 1 · 50%" in edited
    out = await community.run(":click 2 Sat")
    assert "! no single button 'Sat' on that message; buttons: Mon · 0, Wed · 1, Fri · 1" in out


async def test_the_results_print_their_image_line(community: Community) -> None:
    await community.run(CREATE + "\n:as bob\n:click 2 Mon")
    out = await community.run(":advance 1d")
    results = out[out.index("[general] Steward [poll]: Results: Best AMA day?") :]
    assert "    Winner: Mon (1 vote)" in results
    assert "    [image poll-1-results.png, " in results


async def test_a_form_is_asked_line_by_line_with_answers_kept(community: Community) -> None:
    await community.run(SURVEY)
    out = await community.run(":as bob\n:in general\n:click 2 Respond")
    assert "    ── March meetup (for bob; answer each line, :cancel to stop)" in out
    assert out.rstrip().endswith("    1. How useful was it? (1-5)")
    out = await community.run("4")
    assert out.rstrip().endswith("    2. What next?")
    out = await community.run("More workshops")
    assert "Steward → bob (private): Thank you! Your response to survey #1" in out

    out = await community.run(":click 2 Respond")
    assert "    1. How useful was it? (1-5) [4] (an empty line keeps it)" in out
    await community.adapter.feed("")  # an empty line keeps the rating
    out = community.new_output()
    assert "    2. What next? [More workshops] (an empty line keeps it)" in out
    out = await community.run(":cancel")
    assert "    ── March meetup: cancelled, nothing sent" in out
    assert "(private)" not in out
