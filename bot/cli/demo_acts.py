"""What `steward demo`'s script is made of: acts (one console line or a few each), the people
who do them, and the planner's tools for time and chance (one seeded generator, whole minutes).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from itertools import accumulate
from random import Random
from zoneinfo import ZoneInfo

# a weekday's rhythm, local hours 0-23: quiet nights, a lunch bump, busy evenings
HOURS = (
    0.3, 0.15, 0.08, 0.05, 0.05, 0.1, 0.3, 0.6, 0.9, 1.0, 1.0, 1.1,
    1.4, 1.3, 1.0, 1.0, 1.1, 1.3, 1.7, 2.0, 2.2, 2.0, 1.4, 0.7,
)  # fmt: skip
WEEKEND_HOURS = tuple(w * (0.4 if h < 10 else 1.2) for h, w in enumerate(HOURS))
DAY_FACTORS = (1.0, 1.05, 1.1, 1.0, 0.85, 0.6, 0.65)  # Monday first: quieter weekends
KINDS = ("join", "leave", "say", "reply", "react", "click", "command", "respond")


@dataclass(frozen=True)
class Act:
    """One thing a member does at a time (UTC, a whole minute), as the console takes it.

    `kind` is one of KINDS: `say` posts `text` in `channel`, `reply`/`react`/`click` act on the
    message named `target`, `command` runs `text` in `channel`, `respond` clicks `text` on
    `target` and answers the form it opens with `answers`. `key` names the message the act
    makes (for a command: the post it brings, with `tag` and `title`, when that appears).
    `tally` is what it counts as in the demo's figures ("message", "vote", …).
    """

    at: datetime
    seq: int
    member: str
    kind: str
    text: str = ""
    channel: str = ""
    target: str = ""
    key: str = ""
    tag: str = ""
    title: str = ""
    tally: str = ""
    answers: tuple[str, ...] = ()


@dataclass
class Person:
    """A member of the simulated community: how much they write (0: a lurker) and when
    they are around (`away`: stretches without a word, a week off or a long silence)."""

    name: str
    posts: float
    joins: datetime
    manager: bool = False
    newcomer: bool = False  # joined during the simulated weeks
    leaves: datetime | None = None
    away: list[tuple[datetime, datetime]] = field(default_factory=list)

    def here(self, at: datetime) -> bool:
        return self.joins < at and (self.leaves is None or at < self.leaves)

    def writes(self, at: datetime) -> bool:
        """Around at `at`, and the kind who writes."""
        if self.posts <= 0 or not self.here(at):
            return False
        return not any(start <= at < end for start, end in self.away)


def by_posts(person: Person) -> float:
    """Who writes: as much as they write."""
    return person.posts


def by_reach(person: Person) -> float:
    """Who reacts: everyone who writes, the quieter ones too."""
    return person.posts + 0.8


def by_turnout(person: Person) -> float:
    """Who votes, enters, responds or gives feedback."""
    return person.posts + 0.5


def by_expertise(person: Person) -> float:
    """Who answers questions and starts polls: mostly the core members."""
    return person.posts**2


WEIGHTS = (by_posts, by_reach, by_turnout, by_expertise)


class Planner:
    """The acts so far and the tools to place more: local times, chances, choices."""

    def __init__(self, zone: ZoneInfo, seed: int) -> None:
        self.zone = zone
        self.rnd = Random(seed)
        self.acts: list[Act] = []
        self._sums: dict[tuple[int, Callable], tuple[Sequence[Person], list[float]]] = {}

    def add(self, at: datetime, member: str | Person, kind: str, **fields) -> Act:
        """Record an act at `at` (to the minute); `keyed=True` names its message."""
        name = member.name if isinstance(member, Person) else member
        seq = len(self.acts)
        if fields.pop("keyed", False):
            fields["key"] = f"k{seq}"
        act = Act(at.replace(second=0, microsecond=0), seq, name, kind, **fields)
        self.acts.append(act)
        return act

    # ---- time -------------------------------------------------------------------------
    def local(self, day: date, hour: int, minute: int = 0) -> datetime:
        """The wall-clock time `hour:minute` of `day` in the community zone, as UTC."""
        return datetime.combine(day, time(hour, minute), tzinfo=self.zone).astimezone(UTC)

    def moment(self, day: date) -> datetime:
        """A time on `day` drawn from the daily rhythm (weekends start later)."""
        weights = WEEKEND_HOURS if day.weekday() >= 5 else HOURS
        hour = self.rnd.choices(range(24), weights)[0]
        return self.local(day, hour, self.rnd.randrange(60))

    def local_day(self, at: datetime) -> date:
        return at.astimezone(self.zone).date()

    def after(self, at: datetime, mean_minutes: float, least: float = 1) -> datetime:
        """A time after `at`: at least `least` minutes, `mean_minutes` more on average."""
        return at + timedelta(minutes=least + self.rnd.expovariate(1 / mean_minutes))

    def spread(self, at: datetime, median_minutes: float, sigma: float = 1.0) -> datetime:
        """A time after `at`, log-normally spread around `median_minutes` (a response)."""
        minutes = median_minutes * math.exp(self.rnd.gauss(0, sigma))
        return at + timedelta(minutes=min(max(minutes, 1), 36 * 60))

    # ---- chance -----------------------------------------------------------------------
    def count(self, mean: float) -> int:
        """A Poisson count around `mean` (normal beyond 30: the same shape, fewer draws)."""
        if mean <= 0:
            return 0
        if mean > 30:
            return max(0, round(self.rnd.gauss(mean, math.sqrt(mean))))
        limit, k, product = math.exp(-mean), 0, self.rnd.random()
        while product > limit:
            k += 1
            product *= self.rnd.random()
        return k

    def chance(self, p: float) -> bool:
        return self.rnd.random() < p

    def pick(
        self,
        people: Sequence[Person],
        at: datetime,
        weight: Callable[[Person], float] = by_posts,
        besides: set[str] | frozenset[str] = frozenset(),
    ) -> Person | None:
        """One of `people` (by `weight`) who writes and is around at `at`, not in `besides`;
        None if nobody turns up after a few tries."""
        sums = self._cumulative(people, weight)
        if not sums or not sums[-1]:
            return None
        for _ in range(4):
            for person in self.rnd.choices(people, cum_weights=sums, k=3):
                if person.writes(at) and person.name not in besides:
                    return person
        return None

    def _cumulative(
        self, people: Sequence[Person], weight: Callable[[Person], float]
    ) -> list[float]:
        """The running sums of `weight` over `people`, kept for the same list and one of the
        weights above (another weight may change with time: it is summed each time)."""
        if weight not in WEIGHTS:
            return list(accumulate(weight(p) for p in people))
        key = (id(people), weight)
        kept = self._sums.get(key)
        if kept is None or kept[0] is not people:
            kept = (people, list(accumulate(weight(p) for p in people)))
            self._sums[key] = kept
        return kept[1]
