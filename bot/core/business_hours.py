"""Business hours: which minutes count towards a response-time SLA, in the community's time zone.

A spec is what a manager writes in `[inquiries] business_hours`, rules separated by `;`:
`mon-fri 09:00-17:00`, `mon-thu 9-17; fri 9-13`, `mon,wed,fri 10:00-16:00, sat 10-14`,
`daily 9:30-17:00`, `weekdays 9am-5pm`. A rule is days then one or more time ranges; days are
names (`mon`, `Monday`), ranges (`mon-fri`, `sun-thu`), lists (`mon,wed,fri`) or `daily`,
`every day`, `weekdays`, `weekends`; time ranges are `09:00-17:00`, `9-17`, `9:30-17:00` or
`9am-5pm`, with `24:00` (or `00:00` as a closing time) for midnight. Days are words and times are
numbers, so a comma can also start the next rule (`mon-fri 9-17, sat 10-14`). Case does not
matter and an en dash works like a hyphen. `""`, `always` or `24/7` mean every minute counts.

Stretches are local wall-clock times, so 09:00-17:00 stays 09:00-17:00 local across a
daylight-saving change; working time is the real time that passes while a stretch is open.
Wall times the clock skips or repeats never fail:

- a time in a spring-forward gap (02:30 in Europe/Berlin on 2026-03-29) is the instant the
  clocks jump, so a stretch 02:30-04:00 that day is open from the jump until 04:00 (one hour);
- a time that occurs twice at a fall-back is its first occurrence (summer time), so a stretch
  02:30-03:30 on 2026-10-25 in Berlin runs from the first 02:30 to 03:30 winter time (two hours).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.core.clock import ensure_utc

Stretch = tuple[int, int]  # (opens, closes) in minutes after local midnight, closes up to 1440

_DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_DAYS = {
    **{name.lower(): n for n, name in enumerate(_DAY_NAMES)},
    **{
        name: n
        for n, name in enumerate(
            ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
        )
    },
    "tues": 1,
    "weds": 2,
    "thur": 3,
    "thurs": 3,
}
_DAY_GROUPS = {
    "daily": frozenset(range(7)),
    "weekdays": frozenset(range(5)),
    "weekday": frozenset(range(5)),
    "weekends": frozenset({5, 6}),
    "weekend": frozenset({5, 6}),
}
_ALWAYS = {"", "always", "24/7"}
_TIME = r"\d{1,2}(?::\d{2})?(?:am|pm)?"
_RANGE = re.compile(rf"({_TIME})-({_TIME})")
_CLOCK = re.compile(r"(\d{1,2})(?::(\d{2}))?(am|pm)?")
_EXAMPLE = '"mon-fri 09:00-17:00"'
_DAY = timedelta(days=1)
_MINUTE = timedelta(minutes=1)


@dataclass(frozen=True)
class BusinessHours:
    """Open stretches per weekday (0 = Monday), local wall-clock times."""

    stretches: tuple[tuple[Stretch, ...], ...]

    def __post_init__(self) -> None:
        if len(self.stretches) != 7:
            raise ValueError("business hours need stretches for 7 weekdays")
        for day in self.stretches:
            ends = [edge for stretch in day for edge in stretch]
            if ends != sorted(ends) or any(opens >= closes for opens, closes in day):
                raise ValueError(f"stretches must be sorted and not overlap: {day}")
            if ends and (ends[0] < 0 or ends[-1] > 1440):
                raise ValueError(f"stretches must lie within a day: {day}")
        if not any(self.stretches):
            raise ValueError("business hours need some open time")

    def describe(self) -> str:
        """The hours for a message to managers, e.g. "Mon–Fri 09:00–17:00"."""
        groups: dict[tuple[Stretch, ...], list[int]] = {}
        for weekday, day in enumerate(self.stretches):
            if day:
                groups.setdefault(day, []).append(weekday)
        return "; ".join(
            f"{_describe_days(days)} {', '.join(f'{_clock(a)}–{_clock(b)}' for a, b in day)}"
            for day, days in groups.items()
        )


def parse_business_hours(spec: str) -> BusinessHours | None:
    """Read a manager's spec: "" or "always" → None (every minute counts); ValueError with a
    one-line, actionable message otherwise."""
    if spec.strip().lower() in _ALWAYS:
        return None
    week: list[list[Stretch]] = [[] for _ in range(7)]
    for rule in re.split(r"[;\n]", spec):
        rule = rule.strip()
        for days, stretches in _parse_rule(rule):
            for weekday in sorted(days):
                for stretch in stretches:
                    _add(week[weekday], weekday, stretch, rule)
    if not any(week):
        raise ValueError(
            f"business_hours: {spec!r}: no open hours (write e.g. {_EXAMPLE}, "
            'or "always" to count every minute)'
        )
    return BusinessHours(tuple(_merged(day) for day in week))


def add_working_minutes(
    start: datetime, minutes: float, hours: BusinessHours | None, zone: ZoneInfo
) -> datetime:
    """The aware UTC datetime when `minutes` of working time have passed since `start` (aware
    UTC). None hours: start + minutes.

    The answer is the earliest such instant: a deadline that uses up a stretch exactly is its
    closing time, not the next opening; zero minutes is `start` itself.
    """
    if not math.isfinite(minutes) or minutes < 0:
        raise ValueError(f"working minutes must be a finite number ≥ 0, not {minutes!r}")
    start = ensure_utc(start)
    remaining = timedelta(minutes=minutes)
    if hours is None or not remaining:
        return start + remaining
    for opens, closes in _open_intervals(start, hours, zone):
        if remaining <= closes - opens:
            return opens + remaining
        remaining -= closes - opens
    raise AssertionError("unreachable: business hours are open every week")


def working_minutes_between(
    start: datetime, end: datetime, hours: BusinessHours | None, zone: ZoneInfo
) -> float:
    """Working minutes in [start, end)."""
    start, end = ensure_utc(start), ensure_utc(end)
    if end <= start:
        return 0.0
    if hours is None:
        return (end - start) / _MINUTE
    total = timedelta()
    for opens, closes in _open_intervals(start, hours, zone):
        if opens >= end:
            break
        total += min(closes, end) - opens
    return total / _MINUTE


def _open_intervals(
    start: datetime, hours: BusinessHours, zone: ZoneInfo
) -> Iterator[tuple[datetime, datetime]]:
    """Open stretches as UTC intervals from `start` on, the first one clipped to `start`.

    A day whose local midnights are exactly 24 hours apart has no clock change, so its stretches
    are plain offsets from midnight; only on change days is each edge converted on its own.
    """
    day = start.astimezone(zone).date()
    midnight = _instant(day, 0, zone)
    while True:
        following = _instant(day + _DAY, 0, zone)
        plain = following - midnight == _DAY
        for opens_at, closes_at in hours.stretches[day.weekday()]:
            if plain:
                opens, closes = midnight + opens_at * _MINUTE, midnight + closes_at * _MINUTE
            else:
                opens, closes = _instant(day, opens_at, zone), _instant(day, closes_at, zone)
            opens = max(opens, start)
            if closes > opens:
                yield opens, closes
        day, midnight = day + _DAY, following


def _instant(day: date, minute: int, zone: ZoneInfo) -> datetime:
    """The UTC instant of a local wall time: its first occurrence, or the jump if skipped."""
    wall = datetime.combine(day, time()) + minute * _MINUTE
    instant = wall.replace(tzinfo=zone).astimezone(UTC)
    if _wall(instant, zone) == wall:
        return instant
    # In a gap: fold=0 read it with the offset before the jump and fold=1 with the one after,
    # so the jump lies between the two; it is the first second whose wall time is past `wall`.
    skipped = wall.replace(tzinfo=zone, fold=1).astimezone(UTC)
    low, high = sorted((int(skipped.timestamp()), int(instant.timestamp())))
    while high - low > 1:
        middle = (low + high) // 2
        if _wall(datetime.fromtimestamp(middle, UTC), zone) > wall:
            high = middle
        else:
            low = middle
    return datetime.fromtimestamp(high, UTC)


def _wall(instant: datetime, zone: ZoneInfo) -> datetime:
    return instant.astimezone(zone).replace(tzinfo=None)


def _parse_rule(rule: str) -> list[tuple[set[int], list[Stretch]]]:
    """One `;`-separated part: days then time ranges, perhaps several times over."""
    text = rule.lower()
    text = re.sub(r"[–—−]", "-", text)
    text = re.sub(r"\bevery\s+day\b", "daily", text)
    text = re.sub(r"\s+(am|pm)\b", r"\1", text)
    text = re.sub(r"\s+to\s+", "-", text)
    text = re.sub(r"\s*-\s*", "-", text)
    tokens = [token for token in re.split(r"[\s,&]+", text) if token and token != "and"]
    rules: list[tuple[set[int], list[Stretch]]] = []
    days: set[int] = set()
    last_days = ""
    stretches: list[Stretch] = []
    for token in tokens:
        if token[0].isdigit():
            if not days:
                raise _error(rule, f"hours {token!r} need days before them", '"daily 09:00-17:00"')
            stretches.append(_parse_range(token, rule))
            continue
        if stretches:
            rules.append((days, stretches))
            days, stretches = set(), []
        days |= _parse_days(token, rule)
        last_days = token
    if days and not stretches:
        raise _error(rule, f"no hours after {last_days!r}", f'"{last_days} 09:00-17:00"')
    if days:
        rules.append((days, stretches))
    return rules


def _parse_days(token: str, rule: str) -> set[int]:
    if token in _DAY_GROUPS:
        return set(_DAY_GROUPS[token])
    first, dash, last = token.partition("-")
    if not dash:
        return {_weekday(token, rule)}
    if not first or not last or "-" in last:
        raise _error(rule, f"{token!r} is not a day range", _EXAMPLE)
    opens, closes = _weekday(first, rule), _weekday(last, rule)
    return {(opens + n) % 7 for n in range((closes - opens) % 7 + 1)}


def _weekday(name: str, rule: str) -> int:
    for candidate in (name, name.removesuffix("s")):
        if candidate in _DAYS:
            return _DAYS[candidate]
    raise _error(rule, f"unknown day {name!r}", _EXAMPLE)


def _parse_range(token: str, rule: str) -> Stretch:
    match = _RANGE.fullmatch(token)
    if not match:
        raise _error(rule, f"{token!r} is not a time range", _EXAMPLE)
    opens, closes = _minute(match[1], rule), _minute(match[2], rule) or 1440
    if closes <= opens:
        raise _error(
            rule,
            f"{token!r} closes before it opens; an overnight stretch is two, one each day",
            '"fri 22:00-24:00; sat 00:00-02:00"',
        )
    return opens, closes


def _minute(text: str, rule: str) -> int:
    match = _CLOCK.fullmatch(text)
    assert match is not None  # _RANGE only matches clock times
    hour, minute, half = int(match[1]), int(match[2] or 0), match[3]
    if half:
        valid = 1 <= hour <= 12
        hour = hour % 12 + (12 if half == "pm" else 0)
    else:
        valid = hour < 24 or (hour == 24 and minute == 0)
    if not valid or minute > 59:
        raise _error(rule, f"{text!r} is not a time of day", _EXAMPLE)
    return hour * 60 + minute


def _add(day: list[Stretch], weekday: int, stretch: Stretch, rule: str) -> None:
    for other in day:
        if stretch[0] < other[1] and other[0] < stretch[1]:
            raise _error(
                rule,
                f"{_DAY_NAMES[weekday]} {_clock(stretch[0])}-{_clock(stretch[1])} overlaps "
                f"{_clock(other[0])}-{_clock(other[1])}; give each day's hours once",
                '"mon-thu 09:00-17:00; fri 09:00-13:00"',
            )
    day.append(stretch)


def _merged(day: list[Stretch]) -> tuple[Stretch, ...]:
    """Sorted, with stretches that touch (9-12, 12-17) joined."""
    merged: list[Stretch] = []
    for opens, closes in sorted(day):
        if merged and merged[-1][1] == opens:
            merged[-1] = (merged[-1][0], closes)
        else:
            merged.append((opens, closes))
    return tuple(merged)


def _error(rule: str, problem: str, example: str) -> ValueError:
    return ValueError(f"business_hours: {rule!r}: {problem} (write e.g. {example})")


def _clock(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


def _describe_days(days: list[int]) -> str:
    """`Every day`, `Mon–Fri`, `Sun–Thu`, `Mon, Wed, Fri`, `Sat, Sun`."""
    if len(days) == 7:
        return "Every day"
    runs: list[list[int]] = []
    for weekday in days:
        if runs and runs[-1][-1] == weekday - 1:
            runs[-1].append(weekday)
        else:
            runs.append([weekday])
    if len(runs) > 1 and runs[0][0] == 0 and runs[-1][-1] == 6:
        runs = [runs[-1] + runs[0], *runs[1:-1]]  # a run through Sunday into Monday
    names = []
    for run in runs:
        if len(run) >= 3:
            names.append(f"{_DAY_NAMES[run[0]]}–{_DAY_NAMES[run[-1]]}")
        else:
            names.extend(_DAY_NAMES[weekday] for weekday in run)
    return ", ".join(names)
