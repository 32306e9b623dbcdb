"""`/objective set|list|remove` as a manager sees them in the managers' channel."""

from sqlmodel import select

from bot.features.objectives import METRICS, Objective, active_objectives
from tests.recording import Recorded

USAGE = (
    "Usage: /objective set metric:<string> target:<string> [direction:at_least|at_most] "
    "[name:<string>]"
)
KINDS = {
    "count": "a whole number, 0 or more",
    "percentage": "a percentage from 0 to 100",
    "minutes": "minutes, 0 or more",
    "sentiment": "a sentiment from -1 to +1",
    "per post": "a number, 0 or more",
}


async def _say(recorded: Recorded, line: str, by: str = "mia") -> str:
    """`line` by manager `by` in the managers' channel; the one private reply, nothing public."""
    recorded.manager(by)
    said = await recorded.command(line, by=by, in_="managers")
    assert said.public() == []
    [reply] = said.told(by)
    return reply


def _rows(recorded: Recorded) -> list[tuple]:
    return recorded.app.store.call(
        lambda s: [
            (o.id, o.name, o.metric, o.direction, o.target, o.removed_at is not None)
            for o in s.exec(select(Objective).order_by(Objective.id))
        ]
    )


def _metric_lines(reply: str) -> list[str]:
    return [line for line in reply.splitlines() if line.startswith("• ")]


async def test_set_list_and_remove(recorded: Recorded) -> None:
    empty = await _say(recorded, "/objective list")
    assert empty.startswith(
        "No objectives yet: set one with `/objective set metric:weekly_active_members "
        "target:50`; every weekly digest then says whether it was met.\nMetrics\n"
    )
    assert len(_metric_lines(empty)) == len(METRICS) == 13

    said = [
        await _say(recorded, line)
        for line in (
            "/objective set metric:weekly_active_members target:50",
            '/objective set metric:median_first_response_minutes target:"30 min" '
            'name:"Fast answers"',
            "/objective set metric:new_member_retention_pct target:40%",
            "/objective set metric:feedback_sentiment target:0.2",
        )
    ]
    assert said == [
        "🎯 Objective #1 “Weekly active members” is set: weekly_active_members at least 50. "
        "Every weekly digest says whether it was met.",
        "🎯 Objective #2 “Fast answers” is set: median_first_response_minutes at most 30 min. "
        "Every weekly digest says whether it was met.",
        "🎯 Objective #3 “New-member retention” is set: new_member_retention_pct at least 40%. "
        "Every weekly digest says whether it was met.",
        "🎯 Objective #4 “Feedback sentiment” is set: feedback_sentiment at least +0.20. "
        "Every weekly digest says whether it was met.",
    ]
    await recorded.advance("2h")
    listed = await _say(recorded, "/objective list", by="quinn")
    assert listed.splitlines() == [
        "4 objectives, judged in every weekly digest:",
        "#1 · Weekly active members · weekly_active_members at least 50 · "
        "set by mia, Mon 2026-03-02 09:00 UTC",
        "#2 · Fast answers · median_first_response_minutes at most 30 min · "
        "set by mia, Mon 2026-03-02 09:00 UTC",
        "#3 · New-member retention · new_member_retention_pct at least 40% · "
        "set by mia, Mon 2026-03-02 09:00 UTC",
        "#4 · Feedback sentiment · feedback_sentiment at least +0.20 · "
        "set by mia, Mon 2026-03-02 09:00 UTC",
    ]

    removed = await _say(recorded, "/objective remove id:1", by="quinn")
    assert removed == (
        "Objective #1 “Weekly active members” (weekly_active_members at least 50) is removed: "
        "digests from now on leave it out; past digests keep it."
    )
    listed = await _say(recorded, "/objective list")
    assert listed.startswith("3 objectives,") and "#1 ·" not in listed
    # soft: the row stays with its name, and still counts for the time it was active
    assert _rows(recorded)[0] == (1, "Weekly active members", "weekly_active_members",
                                  "at_least", 50.0, True)  # fmt: skip
    at_start = recorded.clock.now().replace(hour=10)  # an hour before it was removed
    ids = recorded.app.store.call(lambda s: [o.id for o in active_objectives(s)])
    then = recorded.app.store.call(lambda s: [o.id for o in active_objectives(s, at_start)])
    assert (ids, then) == ([2, 3, 4], [1, 2, 3, 4])

    for line in ("/objective remove id:1", "/objective remove id:9"):
        refused = await _say(recorded, line)
        objective_id = line.rsplit(":", 1)[1]
        assert refused == (
            f"There is no objective #{objective_id}; `/objective list` shows them.\n"
            "Usage: /objective remove id:<integer>"
        )
    assert [row[5] for row in _rows(recorded)] == [True, False, False, False]


async def test_the_same_metric_and_direction_replaces_the_target(recorded: Recorded) -> None:
    await _say(recorded, "/objective set metric:weekly_active_members target:50")
    replaced = await _say(recorded, "/objective set metric:Weekly-Active-Members target:60")
    assert replaced == (
        "🎯 Objective #1 “Weekly active members” already aimed at weekly_active_members "
        "at least; its target is replaced: 50 → 60."
    )
    other_way = await _say(
        recorded, "/objective set metric:weekly_active_members target:500 direction:at_most"
    )
    assert other_way.startswith("🎯 Objective #2 “Weekly active members” is set: ")
    assert "at most 500." in other_way
    await recorded.advance("1d")
    renamed = await _say(
        recorded,
        '/objective set metric:weekly_active_members target:70 name:"Growth"',
        by="quinn",
    )
    assert renamed == (
        "🎯 Objective #1 “Growth” (renamed from “Weekly active members”) already aimed at "
        "weekly_active_members at least; its target is replaced: 60 → 70."
    )
    assert _rows(recorded) == [
        (1, "Growth", "weekly_active_members", "at_least", 70.0, False),
        (2, "Weekly active members", "weekly_active_members", "at_most", 500.0, False),
    ]
    listed = await _say(recorded, "/objective list")
    assert listed.splitlines()[1:] == [
        "#1 · Growth · weekly_active_members at least 70 · set by quinn, Tue 2026-03-03 09:00 UTC",
        "#2 · Weekly active members · weekly_active_members at most 500 · "
        "set by mia, Mon 2026-03-02 09:00 UTC",
    ]
    # a removed objective is not replaced: the next one on its metric is a new objective
    await _say(recorded, "/objective remove id:1")
    assert (await _say(recorded, "/objective list")).splitlines()[0] == (
        "1 objective, judged in every weekly digest:"
    )
    again = await _say(recorded, "/objective set metric:weekly_active_members target:80")
    assert again.startswith("🎯 Objective #3 “Weekly active members” is set: ")


async def test_bad_input_lists_the_metrics_and_changes_nothing(recorded: Recorded) -> None:
    await _say(recorded, "/objective set metric:messages target:100")
    before = _rows(recorded)
    cases = {
        "metric:visitors target:10": "There is no metric 'visitors'.",
        "metric:new_member_retention_pct target:150": (
            "`target`: a target for new_member_retention_pct is a percentage from 0 to 100 "
            "(got '150')."
        ),
        "metric:messages target:-1": (
            "`target`: a target for messages is a whole number, 0 or more (got '-1')."
        ),
        "metric:messages target:2.5": (
            "`target`: a target for messages is a whole number, 0 or more (got '2.5')."
        ),
        "metric:messages target:lots": (
            "`target`: a target for messages is a whole number, 0 or more (got 'lots')."
        ),
        "metric:feedback_sentiment target:1.5": (
            "`target`: a target for feedback_sentiment is a sentiment from -1 to +1 (got '1.5')."
        ),
        "metric:median_first_response_minutes target:-5": (
            "`target`: a target for median_first_response_minutes is minutes, 0 or more (got '-5')."
        ),
        "metric:posts_engagement target:nan": (
            "`target`: a target for posts_engagement is a number, 0 or more (got 'nan')."
        ),
    }
    for options, reason in cases.items():
        reply = await _say(recorded, f"/objective set {options}")
        lines = reply.splitlines()
        assert lines[:2] == [reason, "The metrics, and the targets they take:"]
        assert lines[-1] == USAGE
        metrics = _metric_lines(reply)
        assert [line.split("`")[1] for line in metrics] == list(METRICS)
        for line, metric in zip(metrics, METRICS.values(), strict=True):
            assert line.endswith(f"; target: {KINDS[metric.kind.value]}")
    assert (
        "• `posts_engagement` — reactions and replies per calendar post of the week; "
        "target: a number, 0 or more"
    ) in reply.splitlines()
    registry_refusals = {
        "metric:messages target:10 direction:sideways": (
            "`direction` must be one of at_least, at_most (got 'sideways')."
        ),
        f"metric:messages target:10 name:{'n' * 101}": (
            "`name` is 101 characters; the limit is 100."
        ),
        "metric:messages": "`/objective set` needs `target`.",
    }
    for options, reason in registry_refusals.items():
        assert await _say(recorded, f"/objective set {options}") == f"{reason}\n{USAGE}"
    assert _rows(recorded) == before


async def test_targets_in_their_units_and_as_discord_sends_them(recorded: Recorded) -> None:
    recorded.manager("mia")
    said = await recorded.invoke(
        "objective set", by="mia", in_="managers", metric="answered_inquiry_pct", target=90.0
    )
    assert said.told("mia") == [
        "🎯 Objective #1 “Answered inquiries” is set: answered_inquiry_pct at least 90%. "
        "Every weekly digest says whether it was met."
    ]
    for line, shown in (
        ("metric:median_first_response_minutes target:12.5m", "at most 12.5 min"),
        ("metric:posts_engagement target:4.5", "at least 4.5 per post"),
        ("metric:feedback_sentiment target:-0.25 direction:at_least", "at least -0.25"),
        ("metric:new_members target:1200", "at least 1,200"),
        ("metric:retention_4w_pct target:0", "at least 0%"),
    ):
        assert f" {shown}." in await _say(recorded, f"/objective set {line}")
    assert [row[4] for row in _rows(recorded)] == [90.0, 12.5, 4.5, -0.25, 1200.0, 0.0]


async def test_objectives_are_for_managers_in_their_channel(recorded: Recorded) -> None:
    set_line = "/objective set metric:messages target:100"
    for line in (set_line, "/objective list", "/objective remove id:1"):
        name = line.split(" metric")[0].split(" id")[0].lstrip("/")
        said = await recorded.command(line, by="bob", in_="managers")
        assert said.told("bob")[0].startswith(f"`/{name}` is for community managers.")
        recorded.manager("mia")
        said = await recorded.command(line, by="mia", in_="general")
        assert said.told("mia")[0].startswith(f"`/{name}` works only in the managers' channel.")
        assert said.public() == []
    assert _rows(recorded) == []


async def test_help_shows_the_objective_commands_to_managers(recorded: Recorded) -> None:
    help_text = await _say(recorded, "/help objective")
    assert help_text.startswith("Help for /objective\n")
    assert USAGE.removeprefix("Usage: ") in help_text
    assert "/objective remove id:<integer>" in help_text
    [member] = (await recorded.command("/help", by="bob")).told("bob")
    assert "/objective" not in member
