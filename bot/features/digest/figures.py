"""What a weekly digest holds: plain, frozen figures, stored as JSON and rendered anywhere.

Every figure is computed from the store alone (bots and the managers' channel left out) for
one week, Monday 00:00 to the next Monday 00:00 in the community's time zone. A figure that
cannot be had (no data yet: a percentage of nobody) is None, never a division by zero.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def pct(part: int, whole: int) -> float | None:
    """`part` of `whole` as a percentage, None when `whole` is 0."""
    return 100 * part / whole if whole else None


@dataclass(frozen=True)
class MemberFigures:
    """Members counted at the week's end (people here: not bots, not gone), and the segments.

    `retention_cohort` joined the week before, `retained` of them were active this week;
    `retention_4w_base` were active in the four weeks before, `retention_4w_kept` of them
    this week too. `lurking`: counted, joined before the week, not active in it.
    """

    total: int = 0
    new: int = 0
    active: int = 0
    communicators: int = 0  # posted a message or a reply
    returning: int = 0  # active, after 28 days without any interaction before the week
    lurking: int = 0
    retention_cohort: int = 0
    retained: int = 0
    retention_4w_base: int = 0
    retention_4w_kept: int = 0

    @property
    def new_member_retention_pct(self) -> float | None:
        return pct(self.retained, self.retention_cohort)

    @property
    def retention_4w_pct(self) -> float | None:
        return pct(self.retention_4w_kept, self.retention_4w_base)


@dataclass(frozen=True)
class ChannelActivity:
    """One channel's interactions in the week."""

    platform: str
    channel_id: str  # the platform's id
    name: str
    messages: int = 0
    replies: int = 0
    reactions: int = 0
    total: int = 0  # every engaging interaction in it


@dataclass(frozen=True)
class ActivityFigures:
    """Interactions in the week, by kind, channel, local day (Monday first) and local hour.

    `votes` are poll vote clicks; `entries` contest entries made that week. `interactions`
    is every engaging interaction (the sum of `by_day` and of `by_hour`).
    """

    messages: int = 0
    replies: int = 0
    reactions: int = 0
    shares: int = 0
    votes: int = 0
    entries: int = 0
    interactions: int = 0
    channels: tuple[ChannelActivity, ...] = ()  # busiest first
    by_day: tuple[int, ...] = (0,) * 7
    active_by_day: tuple[int, ...] = (0,) * 7  # members active on each local day
    by_hour: tuple[int, ...] = (0,) * 24

    @property
    def busiest_day(self) -> int | None:
        """Index into DAYS of the day with the most interactions, None when there were none."""
        return _busiest(self.by_day)

    @property
    def busiest_hour(self) -> int | None:
        return _busiest(self.by_hour)


def _busiest(values: tuple[int, ...]) -> int | None:
    return max(range(len(values)), key=lambda i: (values[i], -i)) if any(values) else None


@dataclass(frozen=True)
class Contributor:
    """A member among the week's top contributors (never one who asked to be left out)."""

    member_id: int
    name: str
    platform: str
    messages: int = 0
    replies: int = 0
    reactions: int = 0  # given

    @property
    def total(self) -> int:
        return self.messages + self.replies + self.reactions


@dataclass(frozen=True)
class PostFigures:
    """One calendar post published in the week and what it drew within 48 hours."""

    platform: str
    channel_id: str
    message_id: str
    content_type: str
    posted_at: datetime
    title: str = ""
    reactions: int = 0
    replies: int = 0
    link: str = ""  # filled when rendered where the platform can make one

    @property
    def engagement(self) -> int:
        return self.reactions + self.replies


@dataclass(frozen=True)
class ContentTypeFigures:
    content_type: str
    posts: int
    engagement: int  # reactions + replies within 48 h, over all its posts

    @property
    def average(self) -> float | None:
        return self.engagement / self.posts if self.posts else None


@dataclass(frozen=True)
class ContentFigures:
    """Calendar posts of the week by content type (most engaging per post first)."""

    posts: int = 0
    engagement: int = 0
    types: tuple[ContentTypeFigures, ...] = ()
    best: PostFigures | None = None
    worst: PostFigures | None = None

    @property
    def average(self) -> float | None:
        return self.engagement / self.posts if self.posts else None


@dataclass(frozen=True)
class ClosedPoll:
    poll_id: int
    question: str
    voters: int
    turnout_pct: float | None  # voters of the members active around it
    results: tuple[tuple[str, int], ...]  # (option, votes) in the poll's order
    winners: tuple[str, ...] = ()


@dataclass(frozen=True)
class ClosedSurvey:
    survey_id: int
    title: str
    responses: int


@dataclass(frozen=True)
class ClosedContest:
    contest_id: int
    title: str
    entries: int
    winners: tuple[str, ...] = ()  # names; one who asked to be left out is "a member"


@dataclass(frozen=True)
class SlowChannel:
    channel_id: str
    name: str
    asked: int
    median_seconds: float | None


@dataclass(frozen=True)
class InquiryFigures:
    """Member questions asked in the week ("not a question" left out)."""

    asked: int = 0
    answered: int = 0
    median_seconds: float | None = None  # to the first response
    p90_seconds: float | None = None
    by_members: int = 0  # answered first by a member, not a manager
    by_managers: int = 0
    overdue: int = 0  # still waiting, past the SLA, at the digest's time
    channels: tuple[SlowChannel, ...] = ()  # slowest median first

    @property
    def answered_pct(self) -> float | None:
        return pct(self.answered, self.asked)


@dataclass(frozen=True)
class FeedbackFigures:
    count: int = 0
    average: float | None = None  # TextBlob polarity, -1 … +1
    previous_count: int = 0
    previous_average: float | None = None  # the week before
    themes: tuple[tuple[str, int], ...] = ()


@dataclass(frozen=True)
class ObjectiveResult:
    """An objective judged on the week: `actual` None means no data to judge it."""

    objective_id: int
    name: str
    metric: str
    target: float
    direction: str  # "at_least" | "at_most"
    actual: float | None
    met: bool | None
    trend: tuple[float | None, ...] = ()  # the four weeks up to this one, oldest first


@dataclass(frozen=True)
class Recommendation:
    text: str  # what to do
    because: str  # the figure behind it


@dataclass(frozen=True)
class Initiatives:
    polls: tuple[ClosedPoll, ...] = ()
    surveys: tuple[ClosedSurvey, ...] = ()
    contests: tuple[ClosedContest, ...] = ()


@dataclass(frozen=True)
class WeekDigest:
    """One week's digest; `previous_*` are the week before's, for week-over-week change."""

    week: str  # ISO week, "2026-W12"
    zone: str  # the community time zone it was computed in
    start: datetime  # UTC
    end: datetime  # UTC, exclusive
    computed_at: datetime
    community: str = ""
    members: MemberFigures = MemberFigures()
    previous_members: MemberFigures = MemberFigures()
    activity: ActivityFigures = ActivityFigures()
    previous_activity: ActivityFigures = ActivityFigures()
    contributors: tuple[Contributor, ...] = ()
    content: ContentFigures = ContentFigures()
    initiatives: Initiatives = Initiatives()
    inquiries: InquiryFigures = InquiryFigures()
    feedback: FeedbackFigures = FeedbackFigures()
    objectives: tuple[ObjectiveResult, ...] = ()
    recommendations: tuple[Recommendation, ...] = ()

    @property
    def empty(self) -> bool:
        """Nothing happened and nobody is here: the digest says "no data yet"."""
        return not self.members.total and not self.activity.interactions


# ---- JSON ---------------------------------------------------------------------------------
def to_json(value: Any) -> Any:
    """The digest (or any figure) as JSON-ready data; datetimes as ISO text."""
    if dataclasses.is_dataclass(value):
        return {f.name: to_json(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, tuple | list):
        return [to_json(item) for item in value]
    if isinstance(value, datetime):
        return value.isoformat()
    return value


def from_json(kind: type, data: Any) -> Any:
    """A `kind` (a figures dataclass) rebuilt from to_json's data."""
    return _build(kind, data)


def _build(hint: Any, data: Any) -> Any:
    if data is None:
        return None
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        options = [arg for arg in typing.get_args(hint) if arg is not type(None)]
        return _build(options[0], data)
    if origin is tuple:
        args = typing.get_args(hint)
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_build(args[0], item) for item in data)
        return tuple(_build(arg, item) for arg, item in zip(args, data, strict=True))
    if hint is datetime:
        return datetime.fromisoformat(data)
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        known = _hints(hint)
        return hint(**{name: _build(known[name], v) for name, v in data.items() if name in known})
    if hint is float and isinstance(data, int):
        return float(data)
    return data


@cache
def _hints(kind: type) -> dict[str, Any]:
    return typing.get_type_hints(kind)
