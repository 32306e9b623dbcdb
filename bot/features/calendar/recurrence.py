"""Repeat rules of calendar posts, turned into occurrence times that keep their wall-clock hour.

A rule is `daily`, `weekly`, `weekdays`, `monthly`, a five-field cron expression (standard
cron: day of week 0 or 7 is Sunday), or an iCalendar `RRULE:` (from ICS imports). Occurrences
are computed in the post's time zone, so a 09:00 post stays at 09:00 local time when daylight
saving starts or ends. A wall-clock time the clocks skip (02:30 on the spring-forward night)
goes out one hour later in local time (03:30); a repeated one (autumn) goes out once, the
first time.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from apscheduler.triggers.cron import CronTrigger
from dateutil.rrule import DAILY, FR, MO, MONTHLY, TH, TU, WE, WEEKLY, rrule, rrulestr

NAMED_RULES = ("daily", "weekly", "weekdays", "monthly")
REPEAT_FORMS = 'daily, weekly, weekdays, monthly, or a cron expression like "30 18 * * 1-5"'
_NO_REPEAT = ("", "none", "once", "no", "never")
_CRON_DAYS = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")
_TOO_OFTEN = ("HOURLY", "MINUTELY", "SECONDLY")
_DST_SHIFT = timedelta(hours=2)  # more than any daylight-saving change moves the clocks


class RepeatError(ValueError):
    """A repeat rule Steward cannot follow; the message says why."""


def normalise_repeat(text: str) -> str:
    """The canonical form of a repeat rule (`""` for none); raise RepeatError if it is not one."""
    raw = " ".join((text or "").split())
    lowered = raw.lower()
    if lowered in _NO_REPEAT:
        return ""
    if lowered in NAMED_RULES:
        return lowered
    if lowered.startswith(("rrule:", "freq=")):
        rule = "RRULE:" + raw.split(":", 1)[-1].upper() if ":" in raw else "RRULE:" + raw.upper()
        _rrule(rule, datetime(2026, 1, 1, 9, tzinfo=UTC))
        parts = dict(part.partition("=")[::2] for part in rule.removeprefix("RRULE:").split(";"))
        _at_most_hourly(raw, *(parts.get(key, "0").split(",") for key in ("BYMINUTE", "BYSECOND")))
        return rule
    if len(raw.split()) == 5:
        _cron_trigger(raw, ZoneInfo("UTC"))
        _at_most_hourly(raw, _cron_minutes(raw.split()[0]))
        return raw
    raise RepeatError(f"`repeat` {raw!r} is not a rule I know; use {REPEAT_FORMS}.")


def _at_most_hourly(raw: str, *per_hour: Collection[object]) -> None:
    """Refuse a rule that fires at several minutes (or seconds) of the same hour."""
    if any(len(values) > 1 for values in per_hour):
        raise RepeatError(
            f"`repeat` {raw!r} would post more than once an hour; calendar posts repeat at "
            "most hourly."
        )


def _cron_minutes(field: str) -> set[int]:
    """The minutes a (valid) cron minute field matches: `*/15` → {0, 15, 30, 45}."""
    minutes: set[int] = set()
    for item in field.split(","):
        span, _, step = item.partition("/")
        low, _, high = ("0", "", "59") if span == "*" else span.partition("-")
        if not (low.isdigit() and (high or "0").isdigit() and (step or "1").isdigit()):
            continue
        last = int(high) if high else (59 if step else int(low))
        minutes.update(range(int(low), last + 1, max(1, int(step or 1))))
    return minutes


@dataclass(frozen=True)
class Schedule:
    """The occurrences of one post: a first time (`start`, UTC), a rule, and the zone it keeps."""

    rule: str
    start: datetime
    zone: ZoneInfo

    def first_from(self, when: datetime) -> datetime | None:
        """The first occurrence at or after `when` (never before `start`)."""
        when = max(when, self.start)
        if not self.rule:
            return self.start if self.start >= when else None
        if not _is_cron(self.rule):
            return next(self._walk(when), None)
        # Rules compare wall-clock times: a time the clocks skip (02:30, sent at 03:30) reads
        # earlier than the instant it goes out, so look from a little before and compare in UTC.
        found = self._first_cron(max(when - _DST_SHIFT, self.start))
        while found is not None and found < when:
            found = self.after(found)
        return found

    def after(self, when: datetime) -> datetime | None:
        """The first occurrence strictly after `when`."""
        if not self.rule:
            return self.start if self.start > when else None
        if _is_cron(self.rule):
            return self._cron_after(when)
        return _utc(self._rrule().after(when.astimezone(self.zone), inc=False))

    def upcoming(self, when: datetime, count: int) -> list[datetime]:
        """Up to `count` occurrences at or after `when`."""
        found: list[datetime] = []
        for occurrence in self.iterate(when):
            found.append(occurrence)
            if len(found) >= count:
                break
        return found

    def iterate(self, when: datetime) -> Iterator[datetime]:
        """Occurrences at or after `when`, in order (endless for most rules)."""
        if self.rule and not _is_cron(self.rule):
            yield from self._walk(when)
            return
        current = self.first_from(when)
        while current is not None:
            yield current
            current = self.after(current)

    def _walk(self, when: datetime) -> Iterator[datetime]:
        """The occurrences of an RRULE at or after `when`, in one pass over its wall-clock
        times, each after the local time the last went out at (a time the clocks skip, 02:30,
        goes out at 03:30 and reads earlier than that instant: so look from a little before
        and compare in UTC)."""
        when = max(when, self.start)
        last: datetime | None = None  # the local time the previous occurrence went out at
        for wall in self._rrule().xafter(
            max(when - _DST_SHIFT, self.start).astimezone(self.zone), inc=True
        ):
            if last is not None and wall <= last:
                continue
            found = wall.astimezone(UTC)
            last = found.astimezone(self.zone)
            if found >= when:
                yield found

    def describe(self) -> str:
        """The rule as managers wrote it (`once` for a one-off)."""
        return self.rule or "once"

    def _first_cron(self, when: datetime) -> datetime | None:
        trigger = _cron_trigger(self.rule, self.zone)
        return _utc(trigger.get_next_fire_time(None, when.astimezone(self.zone)))

    def _cron_after(self, when: datetime) -> datetime | None:
        if when < self.start:
            return self.first_from(self.start)
        trigger = _cron_trigger(self.rule, self.zone)
        local = when.astimezone(self.zone)
        following = trigger.get_next_fire_time(local, local)
        # in the autumn hour that repeats, a wall-clock time already used is not used again
        while following is not None and following.replace(tzinfo=None) <= local.replace(
            tzinfo=None
        ):
            following = trigger.get_next_fire_time(following, following)
        return _utc(following)

    def _rrule(self) -> rrule:
        return _parsed_rrule(self.rule, self.start, self.zone)


def _is_cron(rule: str) -> bool:
    return len(rule.split()) == 5


def _utc(local: datetime | None) -> datetime | None:
    return None if local is None else local.astimezone(UTC)


@lru_cache(maxsize=256)  # an agenda reads at most 61 posts
def _parsed_rrule(rule: str, start: datetime, zone: ZoneInfo) -> rrule:
    """The rule of one schedule, read once; it keeps the times it has worked out (up to the
    furthest asked for), so the next look at the same post does not work them out again."""
    return _rrule(rule, start.astimezone(zone), cache=True)


def _rrule(rule: str, dtstart: datetime, cache: bool = False) -> rrule:
    if rule == "daily":
        return rrule(DAILY, dtstart=dtstart, cache=cache)
    if rule == "weekly":
        return rrule(WEEKLY, dtstart=dtstart, cache=cache)
    if rule == "weekdays":
        return rrule(WEEKLY, dtstart=dtstart, byweekday=(MO, TU, WE, TH, FR), cache=cache)
    if rule == "monthly":
        if dtstart.day <= 28:
            return rrule(MONTHLY, dtstart=dtstart, cache=cache)
        # the 29th-31st fall on the last day of shorter months
        days = (dtstart.day, -1)
        return rrule(MONTHLY, dtstart=dtstart, bymonthday=days, bysetpos=1, cache=cache)
    body = rule.removeprefix("RRULE:")
    if any(f"FREQ={freq}" in body for freq in _TOO_OFTEN):
        raise RepeatError(f"{rule}: hourly (or more frequent) rules are not supported.")
    try:
        return rrulestr(body, dtstart=dtstart, cache=cache)  # type: ignore[return-value]
    except (ValueError, TypeError) as exc:
        raise RepeatError(f"{rule} is not a recurrence rule I can read ({exc}).") from None


@lru_cache(maxsize=256)
def _cron_trigger(expr: str, zone: ZoneInfo) -> CronTrigger:
    """The trigger of a cron rule in `zone` (read once: it holds no state between uses)."""
    minute, hour, day, month, weekday = expr.split()
    try:
        return CronTrigger(
            minute=minute,
            hour=hour,
            day=day,
            month=month,
            day_of_week=_cron_weekdays(weekday),
            timezone=zone,
        )
    except ValueError as exc:
        raise RepeatError(f"{expr!r} is not a cron expression I can read ({exc}).") from None


def _cron_weekdays(field: str) -> str:
    """Standard cron weekdays (0 or 7 = Sunday) as APScheduler 3 names (its 0 is Monday)."""
    if field == "*":
        return "*"
    days: set[int] = set()
    for item in field.lower().split(","):
        span, _, step_text = item.partition("/")
        step = _cron_number(step_text, "step") if step_text else 1
        low, _, high = ("0", "", "6") if span == "*" else span.partition("-")
        first = _cron_day(low)
        last = _cron_day(high) if high else (6 if step_text else first)
        if last < first or step < 1:
            raise RepeatError(f"day of week {item!r} is not a range I can read.")
        days.update(day % 7 for day in range(first, last + 1, step))
    return ",".join(_CRON_DAYS[day] for day in sorted(days))


def _cron_day(text: str) -> int:
    """0-7 (0 and 7 are Sunday) or a name (`mon`)."""
    text = text.strip()
    if text[:3] in _CRON_DAYS:
        return _CRON_DAYS.index(text[:3])
    number = _cron_number(text, "day of week")
    if number > 7:
        raise RepeatError(f"day of week {text!r} must be 0-7 or a name like mon.")
    return number


def _cron_number(text: str, what: str) -> int:
    if not text.strip().isdigit():
        raise RepeatError(f"{what} {text!r} must be a number.")
    return int(text)
