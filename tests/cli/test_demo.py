"""`steward demo`: a community simulated through the console adapter, then its digest.

A small community (40 members, two weeks) is simulated once, its finishing step (the digest,
its chart and the report) watched, and what the simulation planned is checked against what
the command printed, the files it wrote and what the store holds; its script, fed to
`steward console`, must build the same community.
"""

from __future__ import annotations

import re
import sqlite3
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from typer.testing import CliRunner, Result

from bot.cli import demo
from bot.cli.demo_phrases import MANAGERS
from bot.cli.demo_script import CommunityScript
from bot.cli.main import cli
from bot.core.config import load_settings

pytestmark = pytest.mark.slow  # long: scheduled first (tests/conftest.py)

ZONE = ZoneInfo("Europe/Berlin")
START = date(2026, 3, 16)  # W12 and W13; Europe/Berlin moves its clocks on Sun 29 March
SIZE = ["--members", "40", "--weeks", "2", "--seed", "3", "--start", "2026-03-18"]
WEEKS = [(2026, 12), (2026, 13)]
TOO_WIDE = 260  # characters: a progress line is one line, not the console's transcript


@dataclass
class Run:
    result: Result
    folder: Path
    plan: CommunityScript  # the same simulation, planned again here
    finished: list  # what the finish was asked: weeks, and the clock then

    @property
    def db(self) -> Path:
        return self.folder / "steward-demo.db"


def _watched_finish(asked: list):
    """The real finish, noting what it was asked."""
    real = demo._finish

    async def finish(app, folder: Path, weeks) -> demo.Finished:
        asked.append((list(weeks), app.clock.now()))
        return await real(app, folder, weeks)

    return finish


@pytest.fixture(scope="module")
def shown(tmp_path_factory: pytest.TempPathFactory) -> Run:
    folder = tmp_path_factory.mktemp("demo") / "out"
    asked: list = []
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(demo, "_finish", _watched_finish(asked))
        result = CliRunner().invoke(cli, ["demo", *SIZE, "--out", str(folder)])
    return Run(result, folder, CommunityScript(40, 2, START, ZONE, 3), asked)


def _count(db: Path, sql: str) -> int:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql).fetchone()[0]


def _kinds(db: Path) -> Counter:
    with sqlite3.connect(db) as conn:
        return Counter(dict(conn.execute("SELECT kind, count(*) FROM interaction GROUP BY kind")))


# ---- what it prints ---------------------------------------------------------------------
def test_it_says_what_it_simulates_and_one_line_a_week(shown: Run) -> None:
    result, plan = shown.result, shown.plan
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == (
        "Simulating Makers' Corner: 40 members, 2 weeks (2026-W12 to 2026-W13, Europe/Berlin), "
        "seed 3, through the console adapter"
    )
    phases = plan.phases()
    members = sum(a.tally == "join" for a in phases[0][1]) - sum(
        a.tally == "leave" for a in phases[0][1]
    )
    assert lines[1] == f"  before:   {members} members joined, " + (
        f"{sum(a.tally == 'message' for a in phases[0][1])} messages, 4 objectives set"
    )
    for (week, acts), line in zip(phases[1:], lines[2:4], strict=True):
        tally = Counter(a.tally for a in acts)
        members += tally["join"] - tally["leave"]
        polls = sum(a.tag == "poll" for a in acts)
        expected = (
            f"  week {week + 1}/2 2026-W{12 + week}: {members} members (+{tally['join']}), "
            f"{tally['message'] + tally['question']} messages, "
            f"{tally['reply'] + tally['answer']} replies, {tally['reaction']} reactions, "
            f"{tally['question']} questions ({tally['answer']} answered), "
            f"{tally['calendar']} calendar posts, {polls} polls ({tally['vote']} votes), "
            f"{tally['feedback']} feedback"
        )
        assert re.fullmatch(re.escape(expected) + r"(, a contest .*)? — \d+\.\d s", line), line
        assert len(line) < TOO_WIDE
    assert "a contest (" in lines[3] and "a survey (" in lines[3]
    played = rf"Simulated {len(plan.acts):,} events, [\d,]+ console lines, in \d+\.\d s\."
    assert re.fullmatch(played, lines[4]), lines[4]
    assert "Skipped" not in result.output and "refused" not in result.output
    assert "Traceback" not in result.output


def test_it_names_the_folder_and_every_file_in_it(shown: Run) -> None:
    output, folder = shown.result.output, shown.folder
    assert f"Written to {folder}/:" in output
    files = ("digest-2026-W13.png", "report.html", "transcript.txt", "script.txt")
    for name in (*files, "steward-demo.db"):
        assert re.search(rf"^  {re.escape(name)} +\S", output, re.MULTILINE), name
    assert output.rstrip().endswith(f"steward console --config {folder / 'steward.toml'}")
    for name in ("transcript.txt", "script.txt", "steward-demo.db", "steward.toml"):
        assert (folder / name).stat().st_size > 0, name
    assert not (folder / "steward.log").exists()  # Steward logged no warning


def test_the_finish_is_asked_for_the_weeks_once_the_last_digest_is_due(shown: Run) -> None:
    [(weeks, now)] = shown.finished
    assert weeks == WEEKS
    assert now.astimezone(ZONE) == datetime(2026, 3, 30, 9, 30, tzinfo=ZONE)  # Monday after


# ---- what it did --------------------------------------------------------------------------
def test_the_store_holds_what_the_simulation_planned(shown: Run) -> None:
    acts, db = shown.plan.acts, shown.db
    tally = Counter(a.tally for a in acts)
    assert tally["question"] >= 3 and tally["reaction"] > 100 and tally["vote"] > 5
    assert _count(db, "SELECT count(*) FROM member WHERE NOT is_bot AND left_at IS NULL") == (
        tally["join"] - tally["leave"]
    )
    assert _kinds(db) >= Counter(
        message=tally["message"] + tally["question"],
        reply=tally["reply"] + tally["answer"],
        reaction_added=tally["reaction"],
        member_joined=tally["join"],
        button=tally["vote"] + tally["entry"] + tally["response"],
        form=tally["response"],
    )
    assert _kinds(db)["command"] == sum(a.kind == "command" for a in acts)
    sent = "SELECT count(*) FROM calendaroccurrence WHERE status = 'sent'"
    assert _count(db, sent) == tally["calendar"] == 14
    polls = sum(a.tag == "poll" for a in acts)
    assert _count(db, "SELECT count(*) FROM poll WHERE closed_at IS NOT NULL") == polls == 4
    assert _count(db, "SELECT count(*) FROM pollvote") == tally["vote"]
    assert _count(db, "SELECT count(*) FROM inquiry") == tally["question"]
    answered = "SELECT count(*) FROM inquiry WHERE first_response_at IS NOT NULL"
    assert _count(db, answered) == tally["answer"]
    by_managers = sum(a.tally == "answer" and a.member in MANAGERS for a in acts)
    assert _count(db, "SELECT count(*) FROM inquiry WHERE first_response_by_manager") == by_managers
    assert _count(db, "SELECT count(*) FROM feedback") == tally["feedback"]
    assert _count(db, "SELECT count(*) FROM contestentry") == tally["entry"]
    assert _count(db, "SELECT count(*) FROM surveyresponse") == tally["response"]
    assert _count(db, "SELECT count(*) FROM objective") == tally["objective"] == 4
    assert _count(db, "SELECT count(*) FROM hiddenmember") == tally["privacy"] == 1


def test_reactions_and_replies_land_on_the_posts_they_were_planned_for(shown: Run) -> None:
    """By content type: a reaction on the wrong message would keep the totals right."""
    acts = {a.key: a for a in shown.plan.acts if a.key}
    planned = Counter(
        (a.kind, acts[a.target].tag)
        for a in shown.plan.acts
        if a.kind in ("react", "reply") and acts.get(a.target, a).tally == "calendar"
    )
    with sqlite3.connect(shown.db) as conn:
        stored = Counter(
            {
                (kind, content_type): n
                for kind, content_type, n in conn.execute(
                    "SELECT CASE i.kind WHEN 'reaction_added' THEN 'react' ELSE i.kind END,"
                    " b.content_type, count(*) FROM interaction i"
                    " JOIN botmessage b ON b.platform_message_id = i.parent_message_id"
                    " OR (i.kind = 'reaction_added' AND b.platform_message_id = i.message_id)"
                    " WHERE i.kind IN ('reaction_added', 'reply') AND b.content_type IS NOT NULL"
                    " GROUP BY 1, 2"
                )
            }
        )
    assert stored == planned
    assert planned[("react", "video")] > planned[("react", "announcement")]


def test_the_transcript_went_to_its_file_without_a_refused_line(shown: Run) -> None:
    transcript = (shown.folder / "transcript.txt").read_text(encoding="utf-8")
    assert not re.search(r"^! ", transcript, re.MULTILINE)
    for seen in ("Steward [video]:", "Steward [poll]: Results:", "🏆 Contest #1", "reacted"):
        assert seen in transcript, seen
    assert "Steward [video]:" not in shown.result.output  # not on the terminal


def test_its_script_fed_to_steward_console_builds_the_same_community(
    shown: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bot.features.digest import posting

    async def no_chart(digest) -> bytes:  # images are not stored: the store is the same
        return b"\x89PNG not drawn"

    monkeypatch.setattr(posting, "draw_chart", no_chart)
    replay = tmp_path / "replay.db"
    args = ["console", "--config", str(shown.folder / "steward.toml")]
    args += ["--db", f"sqlite:///{replay}", "--now", shown.plan.begins.isoformat()]
    script = (shown.folder / "script.txt").read_text(encoding="utf-8")
    result = CliRunner().invoke(cli, args, input=script)
    assert result.exit_code == 0, result.output[-2000:]
    assert _kinds(replay) == _kinds(shown.db)
    for sql in (
        "SELECT count(*) FROM member WHERE left_at IS NULL",
        "SELECT count(*) FROM inquiry WHERE first_response_at IS NOT NULL",
        "SELECT count(*) FROM calendaroccurrence WHERE status = 'sent'",
        "SELECT count(*) FROM poll WHERE closed_at IS NOT NULL",
        "SELECT count(*) FROM pollvote",
        "SELECT count(*) FROM contestentry",
        "SELECT sum(asked_at < first_response_at) FROM inquiry",
    ):
        assert _count(replay, sql) == _count(shown.db, sql), sql


def test_the_folder_is_a_configuration_for_the_other_commands(shown: Run) -> None:
    settings = load_settings(shown.folder / "steward.toml")
    assert settings.storage.url == f"sqlite:///{shown.db.resolve()}"
    assert settings.community.timezone == "Europe/Berlin"
    assert settings.inquiries.help_channels == ("help", "general")


# ---- the plan -----------------------------------------------------------------------------
def test_a_seed_always_gives_the_same_community_and_another_seed_another() -> None:
    def lines(seed: int) -> list[tuple]:
        plan = CommunityScript(40, 2, START, ZONE, seed)
        return [(a.at, a.member, a.kind, a.text, a.target) for a in plan.acts]

    assert lines(3) == lines(3)
    assert lines(3) != lines(4)


def test_each_act_comes_after_the_message_it_answers() -> None:
    plan = CommunityScript(120, 3, START, ZONE, 7)
    made: dict[str, datetime] = {}
    for act in plan.acts:
        if act.target:
            assert act.target in made and made[act.target] <= act.at, act
        if act.key:
            made[act.key] = act.at
    assert plan.acts == sorted(plan.acts, key=lambda a: a.at)
    kinds = {a.text.split("type:")[1].split()[0] for a in plan.acts if a.tally == "calendar"}
    assert kinds == {"article", "video", "poll", "event", "announcement", "discussion"}


# ---- refusals and errors --------------------------------------------------------------------
@pytest.mark.parametrize(
    ("option", "says"),
    [
        (["--timezone", "Mars/Olympus"], "--timezone 'Mars/Olympus' is not a time zone"),
        (["--start", "soon"], "--start 'soon' is not a date like 2026-03-02"),
        (["--members", "3"], "Invalid value for '--members'"),
    ],
)
def test_a_bad_option_is_refused_in_one_line(tmp_path: Path, option: list, says: str) -> None:
    result = CliRunner().invoke(cli, ["demo", "--out", str(tmp_path / "out"), *option])
    assert result.exit_code == 2
    assert says in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "out" / "steward-demo.db").exists()


def test_a_folder_holding_a_demo_is_not_written_over(shown: Run) -> None:
    before = shown.db.stat().st_mtime_ns
    result = CliRunner().invoke(cli, ["demo", "--out", str(shown.folder)])
    assert result.exit_code == 2
    assert f"{shown.folder} already holds a demo; give another --out" in result.output
    assert shown.db.stat().st_mtime_ns == before


def test_a_folder_that_cannot_be_made_is_refused_in_one_line(tmp_path: Path) -> None:
    (tmp_path / "a-file").write_text("not a folder")
    folder = tmp_path / "a-file" / "out"
    result = CliRunner().invoke(cli, ["demo", "--out", str(folder)])
    assert result.exit_code == 2
    assert result.output == f"steward demo: cannot make the folder {folder}: Not a directory\n"


def test_an_error_is_one_line_and_the_log_keeps_the_rest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def broken(script, player):
        raise RuntimeError("the simulation broke")

    monkeypatch.setattr(demo, "_simulate", broken)
    folder = tmp_path / "out"
    args = ["demo", "--members", "10", "--weeks", "1", "--start", "2026-03-02"]
    result = CliRunner().invoke(cli, [*args, "--out", str(folder)])
    assert result.exit_code == 1
    assert result.output.splitlines()[-1] == (
        f"steward demo: stopped by an error: the simulation broke (see {folder / 'steward.log'})"
    )
    assert "Traceback" not in result.output
    log = (folder / "steward.log").read_text(encoding="utf-8")
    assert "Traceback" in log and "RuntimeError: the simulation broke" in log


# ---- the real finish ------------------------------------------------------------------------
def test_the_real_finish_prints_the_last_weeks_digest_and_writes_chart_and_report(
    shown: Run,
) -> None:
    from bot.features.digest import Week, digest_text, digests_between
    from bot.store.database import Store

    result, folder = shown.result, shown.folder
    settings = load_settings(folder / "steward.toml")
    store = Store.open(settings.storage.url)
    try:
        week = Week(2026, 13)
        [digest] = store.call(digests_between, week, week, settings, shown.plan.ends)
    finally:
        store.close()
    assert digest_text(digest).rstrip() in result.output
    assert result.output.splitlines()[6].startswith("Weekly digest · Makers' Corner · 2026-W13")
    chart = folder / "digest-2026-W13.png"
    assert chart.read_bytes().startswith(b"\x89PNG") and chart.stat().st_size > 10_000
    report = (folder / "report.html").read_text(encoding="utf-8")
    assert "2026-W12" in report and "2026-W13" in report and "data:image/png;base64," in report
