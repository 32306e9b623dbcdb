"""`steward demo`: a community of a few hundred members simulated over some weeks in virtual
time, through the console adapter, then the last full week's digest, its chart and a report.

Everything goes to one new folder: the database (open it with `steward console`), the
console's transcript, the lines it was fed, the chart and the HTML report. The terminal gets
one line per simulated week and the digest.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import typer

if TYPE_CHECKING:
    from bot.cli.demo_console import Played, ScriptPlayer
    from bot.cli.demo_script import CommunityScript
    from bot.core.app import Steward
    from bot.core.config import Settings

DEFAULT_ZONE = "Europe/Berlin"
DATABASE = "steward-demo.db"
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Finished:
    """What the finishing step made: the last week's digest as text, and the files it wrote
    (each with a few words on what it is)."""

    text: str
    files: tuple[tuple[Path, str], ...] = ()


def demo_command(
    members: Annotated[int, typer.Option(min=10, max=2000, help="How many members.")] = 300,
    weeks: Annotated[int, typer.Option(min=1, max=12, help="How many full weeks.")] = 4,
    seed: Annotated[int, typer.Option(help="The same seed gives the same community.")] = 14,
    out: Annotated[
        Path | None,
        typer.Option(file_okay=False, help="Folder to write to (default ./steward-demo-<time>)."),
    ] = None,
    timezone: Annotated[str, typer.Option(help="The community's time zone.")] = DEFAULT_ZONE,
    start: Annotated[
        str | None,
        typer.Option(help="The first week, by a date in it (default: the last full weeks)."),
    ] = None,
) -> None:
    """Simulate a community for some weeks in virtual time, through the console adapter, then
    show its weekly digest and write its chart and report to a new folder."""
    from bot.cli.demo_script import CommunityScript

    zone = _zone(timezone)
    first = _first_monday(start, weeks, zone)
    folder = _folder(out)
    try:
        settings = demo_settings(folder, timezone)
    except OSError as exc:
        typer.echo(f"steward demo: cannot write to {folder}: {exc.strerror or exc}", err=True)
        raise typer.Exit(2) from None
    began = time.perf_counter()
    script = CommunityScript(members, weeks, first, zone, seed)
    labels = [f"{year}-W{number:02d}" for year, number in script.iso_weeks()]
    typer.echo(
        f"Simulating {settings.community.name}: {members} members, {weeks} weeks "
        f"({labels[0]} to {labels[-1]}, {timezone}), seed {seed}, through the console adapter"
    )
    with _logging_to(folder / "steward.log"):
        try:
            played, finished = asyncio.run(_run(script, settings, folder))
        except KeyboardInterrupt:
            typer.echo(f"steward demo: stopped; what was simulated so far is in {folder}")
            raise typer.Exit(130) from None
        except Exception as exc:  # one line for the newcomer; the traceback goes to the log
            log.exception("the demo stopped")
            typer.echo(f"steward demo: stopped by an error: {exc} (see {folder / 'steward.log'})")
            raise typer.Exit(1) from None
    events, seconds = sum(played.tallies.values()), time.perf_counter() - began
    typer.echo(f"Simulated {events:,} events, {played.lines:,} console lines, in {seconds:.1f} s.")
    _report(played, finished, folder)


# ---- the run ------------------------------------------------------------------------------
async def _run(
    script: CommunityScript, settings: Settings, folder: Path
) -> tuple[Played, Finished]:
    """Play the script on a console community, then finish (the digest); stop cleanly."""
    from bot.bootstrap import build_app, console_adapter
    from bot.cli.demo_console import ScriptPlayer, TranscriptFile
    from bot.core.clock import VirtualClock
    from bot.store.database import Store

    store = Store.open(settings.storage.url)
    app = build_app(settings, VirtualClock(script.begins), store)
    with (
        TranscriptFile(folder / "transcript.txt") as transcript,
        (folder / "script.txt").open("w", encoding="utf-8") as lines,
    ):
        console = console_adapter(settings, out=transcript, files_dir=folder / "files")
        app.add_adapter(console)
        await app.start()
        try:
            player = ScriptPlayer(app, console, lines)
            await _simulate(script, player)
            finished = await _finish(app, folder, script.iso_weeks())
        finally:
            await app.stop()
            store.close()
    player.played.shown_lines, player.played.complaints = transcript.lines, transcript.complaints
    return player.played, finished


async def _simulate(script: CommunityScript, player: ScriptPlayer) -> None:
    """Every act, phase by phase, a progress line after each; then on to the digest's time."""
    members = 0
    for week, acts in script.phases():
        began = time.perf_counter()
        counts = await player.play(acts)
        members += counts["join"] - counts["leave"]
        typer.echo(_progress(script, week, counts, members, time.perf_counter() - began))
    await player.advance_to(script.ends)
    await player.app.jobs.drain()


def _progress(
    script: CommunityScript, week: int | None, counts: Counter, members: int, seconds: float
) -> str:
    """One line on a phase: the prelude, or a week's figures as the simulation made them."""
    if week is None:
        objectives = f", {counts['objective']} objectives set" if counts["objective"] else ""
        return f"  before:   {members} members joined, {counts['message']} messages{objectives}"
    year, number = script.iso_weeks()[week]
    extras = ""
    if counts["contest post"]:
        extras += f", a contest ({counts['entry']} entries)"
    if counts["survey post"]:
        extras += f", a survey ({counts['response']} responses)"
    return (
        f"  week {week + 1}/{script.weeks} {year}-W{number:02d}: {members} members "
        f"(+{counts['join']}), {counts['message'] + counts['question']} messages, "
        f"{counts['reply'] + counts['answer']} replies, {counts['reaction']} reactions, "
        f"{counts['question']} questions ({counts['answer']} answered), "
        f"{counts['calendar post']} calendar posts, {counts['polls']} polls "
        f"({counts['vote']} votes), {counts['feedback']} feedback{extras} — {seconds:.1f} s"
    )


async def _finish(app: Steward, folder: Path, weeks: list[tuple[int, int]]) -> Finished:
    """The simulated weeks' digests as they were posted (computed for a week whose post is not
    due yet): the last one as text and a chart, all of them in a report."""
    from bot.features.digest import Week, digest_chart, digest_text, digests_between, write_report

    first, last_week = Week(*weeks[0]), Week(*weeks[-1])
    now = app.clock.now()
    digests = await app.store.run(digests_between, first, last_week, app.settings, now)
    last = digests[-1]
    chart = folder / f"digest-{last.week}.png"
    chart.write_bytes(await asyncio.to_thread(digest_chart, last))
    report = folder / "report.html"
    await asyncio.to_thread(write_report, digests, "html", report)
    return Finished(
        digest_text(last),
        (
            (chart, f"the chart of {last.week}"),
            (report, f"the report of the {len(digests)} weeks: open it in a browser"),
        ),
    )


def _report(played: Played, finished: Finished, folder: Path) -> None:
    if played.skipped:
        reasons = "; ".join(f"{n} {why}" for why, n in played.skipped.items())
        typer.echo(f"Skipped {played.skipped.total()} acts: {reasons}.")
    if played.complaints:
        typer.echo(f"The console refused {played.complaints} lines (see transcript.txt).")
    typer.echo("")
    typer.echo(finished.text.rstrip())
    typer.echo("")
    typer.echo(f"Written to {folder}/:")
    files = [
        *finished.files,
        (folder / "transcript.txt", f"what the console showed ({played.shown_lines:,} lines)"),
        (folder / "script.txt", "the lines the console was fed"),
        (folder / DATABASE, "the community's database"),
    ]
    width = max(len(path.name) for path, _ in files)
    for path, what in files:
        typer.echo(f"  {path.name:<{width}}  {what}")
    typer.echo(f"Look around in it: steward console --config {folder / 'steward.toml'}")
    if (folder / "steward.log").exists():
        typer.echo(f"Steward logged warnings: see {folder / 'steward.log'}")


# ---- options ------------------------------------------------------------------------------
def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        typer.echo(
            f"steward demo: --timezone {name!r} is not a time zone (like Europe/Berlin)", err=True
        )
        raise typer.Exit(2) from None


def _first_monday(start: str | None, weeks: int, zone: ZoneInfo) -> date:
    """The Monday of the first simulated week: of `start`'s week, else `weeks` weeks ago."""
    if start is None:
        today = datetime.now(zone).date()
        return today - timedelta(days=today.weekday(), weeks=weeks)
    try:
        day = date.fromisoformat(start)
    except ValueError:
        typer.echo(f"steward demo: --start {start!r} is not a date like 2026-03-02", err=True)
        raise typer.Exit(2) from None
    return day - timedelta(days=day.weekday())


def _folder(out: Path | None) -> Path:
    """The folder to write to, made; one that already holds a demo is refused."""
    if out is None:
        out = Path(f"steward-demo-{datetime.now():%Y%m%d-%H%M%S}")
    if (out / DATABASE).exists():
        typer.echo(f"steward demo: {out} already holds a demo; give another --out", err=True)
        raise typer.Exit(2)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        typer.echo(f"steward demo: cannot make the folder {out}: {exc.strerror or exc}", err=True)
        raise typer.Exit(2) from None
    return out


def demo_settings(folder: Path, timezone: str) -> Settings:
    """The demo community's settings, also written to `folder`/steward.toml: its database
    there, its time zone, questions tracked in #help and #general, the SLA counted in the
    managers' working hours."""
    from bot.cli.demo_phrases import COMMUNITY
    from bot.cli.demo_script import BUSINESS_HOURS, HELP_CHANNELS
    from bot.core.config import CommunityConfig, InquiriesConfig, Settings, StorageConfig

    url = f"sqlite:///{(folder / DATABASE).resolve()}"
    channels = ", ".join(f'"{name}"' for name in HELP_CHANNELS)
    (folder / "steward.toml").write_text(
        f'# the community of `steward demo`\n[storage]\nurl = "{url}"\n\n'
        f'[community]\nname = "{COMMUNITY}"\ntimezone = "{timezone}"\n\n'
        f'[inquiries]\nhelp_channels = [{channels}]\nbusiness_hours = "{BUSINESS_HOURS}"\n',
        encoding="utf-8",
    )
    return Settings().replace(
        storage=StorageConfig(url=url),
        community=CommunityConfig(name=COMMUNITY, timezone=timezone),
        inquiries=InquiriesConfig(help_channels=HELP_CHANNELS, business_hours=BUSINESS_HOURS),
    )


@contextmanager
def _logging_to(path: Path) -> Iterator[None]:
    """Steward's warnings go to `path` (made only if there are any), not the terminal; the
    logging as it was comes back after."""
    handler = logging.FileHandler(path, encoding="utf-8", delay=True)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    kept, level = root.handlers[:], root.level
    root.handlers[:] = [handler]
    root.setLevel(logging.WARNING)
    logging.captureWarnings(True)  # a library's warnings too
    try:
        yield
    finally:
        logging.captureWarnings(False)
        root.handlers[:] = kept
        root.setLevel(level)
        handler.close()
