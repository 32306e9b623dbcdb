"""The outcome of a calendar import in words: what was imported, and each bad line."""

from __future__ import annotations

from bot.core.messages import Message, Section
from bot.features.calendar.import_rows import ImportResult
from bot.features.calendar.store import CANCELLED, PAUSED

MAX_LISTED = 20
MAX_NAMED = 3  # posts named when saying which took a default


def render_import(result: ImportResult) -> Message:
    """The outcome in words: what was imported, and each bad line with its reason."""
    problems = [f"line {line}: {reason}" for line, reason in result.errors]
    if len(problems) > MAX_LISTED:
        problems = [*problems[:MAX_LISTED], f"… and {len(problems) - MAX_LISTED} more"]
    if result.channels:
        problems.append(f"(channels: {', '.join('#' + name for name in result.channels)})")
    sections = (Section(title="Problems", text="\n".join(problems)),) if problems else ()
    sections += _notes(result)
    name, bad, good = result.filename, len(result.errors), len(result.drafts)
    if not good and result.stored:
        count = len(result.stored) + len(result.repeated)
        if bad:
            text = (
                f"Nothing new in {name}: {count} of its posts "
                f"{'is' if count == 1 else 'are'} already in the calendar "
                f"({_stored_ids(result)}); {bad} row{_s(bad)} "
                f"{'has' if bad == 1 else 'have'} problems. Nothing was imported."
            )
        else:
            text = (
                f"Nothing new in {name}: its {count} post{_s(count)} "
                f"{'is' if count == 1 else 'are'} already in the calendar "
                f"({_stored_ids(result)}); none was imported again."
            )
        return Message(text=text + _repeats(result), sections=sections)
    if result.imported:
        skipped = f"; skipped {bad} bad row{_s(bad)}" if bad else ""
        text = (
            f"Imported {len(result.imported)} calendar post{_s(good)} from {name} "
            f"({_ids(result.imported)}){skipped}.{_defaulted(result)}{_already(result)}"
            f"{_repeats(result)}"
        )
        return Message(text=f"{text} /calendar list shows them.", sections=sections)
    if good:
        text = (
            f"Nothing imported from {name}: {bad} of {result.rows} rows have problems. "
            f"Fix them and import again, or import with skip_bad:true (--skip-bad) to import "
            f"the {good} {'new ' if result.stored else ''}good row{_s(good)}."
            f"{_defaulted(result)}{_already(result)}"
        )
    else:
        text = f"Nothing imported from {name}: none of its {result.rows} rows is a valid post."
    return Message(text=text, sections=sections)


def _notes(result: ImportResult) -> tuple[Section, ...]:
    """Notes on good rows (a time zone read from a guess), one line each."""
    good = {line for line, _ in result.drafts}
    notes = [f"line {line}: {note}" for line, note in sorted(result.notes) if line in good]
    if len(notes) > MAX_LISTED:
        notes = [*notes[:MAX_LISTED], f"… and {len(notes) - MAX_LISTED} more"]
    return (Section(title="Notes", text="\n".join(notes)),) if notes else ()


def _defaulted(result: ImportResult) -> str:
    """Which good rows took the file's default channel or type: a count and the first names."""
    good = {line for line, _ in result.drafts}
    defaults = result.defaults
    said = []
    for key, label in (
        ("channel", f"channel #{defaults.channel.lstrip('#').strip()}"),
        ("type", f"type {defaults.content_type}"),
    ):
        names = [
            name
            for line, (name, took) in sorted(result.defaulted.items())
            if line in good and key in took
        ]
        if names:
            shown = ", ".join(names[:MAX_NAMED]) + (", …" if len(names) > MAX_NAMED else "")
            said.append(f"{len(names)} post{_s(len(names))} took the default {label} ({shown})")
    return f" {'; '.join(said)}." if said else ""


def _ids(ids: list[int], states: list[str] | None = None) -> str:
    labels = [
        f"#{post_id}" + (f" {state}" if state in (CANCELLED, PAUSED) else "")
        for post_id, state in zip(ids, states or [""] * len(ids), strict=True)
    ]
    more = "…" if len(labels) > MAX_LISTED else ""
    return ", ".join(labels[:MAX_LISTED]) + more


def _stored_ids(result: ImportResult) -> str:
    return _ids([post_id for _, post_id, _ in result.stored], [s for *_, s in result.stored])


def _already(result: ImportResult) -> str:
    count = len(result.stored)
    if not count:
        return ""
    rows = "1 row is" if count == 1 else f"{count} rows are"
    return (
        f" {rows} already in the calendar ({_stored_ids(result)}) and "
        f"{'was' if count == 1 else 'were'} not imported again."
    )


def _repeats(result: ImportResult) -> str:
    said = [f" Line {line} repeats line {earlier}." for line, earlier in result.repeated]
    more = len(said) - MAX_LISTED
    return "".join(said[:MAX_LISTED]) + (f" ({more} more repeated lines.)" if more > 0 else "")


def _s(count: int) -> str:
    return "" if count == 1 else "s"
