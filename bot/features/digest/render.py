"""A week's digest as stakeholders read it: a headline with a verdict, then short sections.

Every figure comes with its change on the week before ("+12 (+8%)"; "–" when there is no
week before to compare). A figure of nobody reads "no data yet", never "nan" or 0%; a
section with nothing to say is left out or says so in one line. Values stay short (within
an embed field's 1,024 characters); the adapters fit the whole to their platform.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.core.markup import bold, channel_mention, link, literal
from bot.core.messages import Image, Message, Section
from bot.features.digest.figures import (
    DAYS,
    ActivityFigures,
    ChannelActivity,
    ClosedPoll,
    MemberFigures,
    ObjectiveResult,
    PostFigures,
    WeekDigest,
)
from bot.features.digest.wording import DASH, change, count, plural, signed, title
from bot.features.objectives import AT_MOST, METRICS, format_value
from bot.text import sentiment
from bot.text.durations import format_seconds as duration

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")  # fmt: skip
STEADY_WITHIN_PCT = 5  # active members changing less than this share are "steady"
STEADY_SENTIMENT = 0.05  # as in the feedback summary
TOP = 5  # channels and contributors shown
SHOWN_ITEMS = 10  # content types, closed polls/surveys/contests, objectives' lines at most
ENGAGEMENT = "reactions + replies within 48 h of posting"


def render_digest(
    digest: WeekDigest, image: Image | None = None, *, platform: str | None = None
) -> Message:
    """The digest as one message (the adapters split it to their limits).

    With `platform`, only that platform's channels are written as channel mentions (a
    Discord channel cannot be linked from Slack); the others read `#name`.
    """
    headline = bold(f"Weekly digest · {_week_words(digest)}")
    if digest.empty:
        note = (
            "No data yet: nobody has joined and nothing was posted this week. "
            "The digest fills in as members join and talk."
        )
        return Message(f"{headline}\n{note}", (_objectives(digest),), image=image, tag="digest")
    sections = (
        _members(digest),
        _activity(digest, platform),
        _contributors(digest),
        _content(digest),
        _initiatives(digest),
        _questions(digest),
        _feedback(digest),
        _objectives(digest),
        _recommendations(digest),
    )
    text = f"{headline}\n{_verdict(digest)}"
    return Message(text, tuple(s for s in sections if s), image=image, tag="digest")


# ---- headline -----------------------------------------------------------------------------
def _week_words(digest: WeekDigest) -> str:
    """`2026-W12 (Mon 16 – Sun 22 March, Europe/Berlin)`, the dates in the community's zone."""
    zone = ZoneInfo(digest.zone)
    first = digest.start.astimezone(zone).date()
    last = digest.end.astimezone(zone).date() - timedelta(days=1)
    if (first.year, first.month) == (last.year, last.month):
        days = f"Mon {first.day} – Sun {last.day} {MONTHS[last.month - 1]}"
    elif first.year == last.year:
        days = (
            f"Mon {first.day} {MONTHS[first.month - 1]} – Sun {last.day} {MONTHS[last.month - 1]}"
        )
    else:
        days = (
            f"Mon {first.day} {MONTHS[first.month - 1]} {first.year} – "
            f"Sun {last.day} {MONTHS[last.month - 1]} {last.year}"
        )
    community = f"{literal(digest.community)} · " if digest.community else ""
    return f"{community}{digest.week} ({days}, {digest.zone})"


def _verdict(digest: WeekDigest) -> str:
    """`↑ Growing: 52 active members, +12 (+30%) on the week before · objectives met 2 of 3`."""
    active = digest.members.active
    before = _previous(digest)
    if before is None:
        trend = f"{plural(active, 'active member')} (no week before to compare)"
    else:
        moved = active - before.active
        steady = abs(moved) * 100 < STEADY_WITHIN_PCT * before.active or moved == 0
        word = "→ Steady" if steady else ("↑ Growing" if moved > 0 else "↓ Shrinking")
        change_words = f"{change(active, before.active)} on the week before"
        trend = f"{word}: {plural(active, 'active member')}, {change_words}"
    return " · ".join(p for p in (trend, _objectives_met(digest.objectives)) if p)


def _objectives_met(results: tuple[ObjectiveResult, ...]) -> str:
    if not results:
        return ""
    met = sum(r.met is True for r in results)
    unknown = sum(r.met is None for r in results)
    note = f" ({unknown} with no data yet)" if unknown else ""
    return f"objectives met {met} of {len(results)}{note}"


# ---- week-over-week -----------------------------------------------------------------------
def _previous(digest: WeekDigest) -> MemberFigures | None:
    """The week before's members, or None when there was no week before (nothing in it)."""
    had = digest.previous_members != MemberFigures() or digest.previous_activity.interactions
    return digest.previous_members if had else None


def _previous_activity(digest: WeekDigest) -> ActivityFigures | None:
    return digest.previous_activity if _previous(digest) is not None else None


# ---- sections -----------------------------------------------------------------------------
MEMBER_COUNTS = (
    ("Total", "total"),
    ("New", "new"),
    ("Active", "active"),
    ("Communicators", "communicators"),
    ("Returning", "returning"),
    ("Lurking", "lurking"),
)
RETENTIONS = (  # name, kept, of, the week before's share, what "no data" means
    ("New-member retention", "retained", "retention_cohort", "new_member_retention_pct",
     "nobody joined the week before"),
    ("4-week retention", "retention_4w_kept", "retention_4w_base", "retention_4w_pct",
     "nobody was active in the four weeks before"),
)  # fmt: skip


def _members(digest: WeekDigest) -> Section:
    m, before = digest.members, _previous(digest)
    fields = [
        (name, count(getattr(m, key), getattr(before, key) if before else None))
        for name, key in MEMBER_COUNTS
    ]
    for name, kept, base, share, nobody in RETENTIONS:
        was = getattr(before, share) if before else None
        fields.append((name, _retention(getattr(m, kept), getattr(m, base), was, nobody)))
    return Section(title="Members", fields=tuple(fields))


def _retention(kept: int, base: int, before: float | None, nobody: str) -> str:
    """`62% (31 of 50) · +4 pts`; "no data yet (…)" of nobody."""
    if not base:
        return f"no data yet ({nobody})"
    share = 100 * kept / base
    moved = DASH if before is None else signed(share - before, " pts")
    return f"{share:.0f}% ({kept:,} of {base:,}) · {moved}"


def _activity(digest: WeekDigest, platform: str | None) -> Section:
    a, before = digest.activity, _previous_activity(digest)
    if not a.interactions:
        was = f" ({plural(before.interactions, 'interaction')} the week before)" if before else ""
        return Section(title="Activity", text=f"No interactions this week{was}.")
    fields = [("Interactions", count(a.interactions, before.interactions if before else None))]
    for key in ("messages", "replies", "reactions", "shares", "votes", "entries"):
        now, then = getattr(a, key), getattr(before, key) if before else None
        if key in ("messages", "replies", "reactions") or now or then:
            fields.append((key.capitalize(), count(now, then)))
    if a.channels:
        fields.append(("Top channels", _channels(a.channels, platform)))
    fields.append(("Busiest", _busiest(a, digest.zone)))
    return Section(title="Activity", fields=tuple(fields))


def _channels(channels: tuple[ChannelActivity, ...], platform: str | None) -> str:
    several = len({c.platform for c in channels}) > 1
    lines = []
    for c in channels[:TOP]:
        if platform is None or c.platform == platform:
            where = channel_mention(c.channel_id, c.name)
        else:
            where = f"#{literal(c.name)}"
        if several and platform is None:
            where += f" ({c.platform.capitalize()})"
        lines.append(f"{where} · {c.total:,}")
    return "\n".join(lines)


def _busiest(a: ActivityFigures, zone: str) -> str:
    """`Wednesday · 18:00–19:00 (Europe/Berlin)`."""
    day, hour = a.busiest_day, a.busiest_hour
    parts = [DAYS[day]] if day is not None else []
    if hour is not None:
        parts.append(f"{hour:02d}:00–{(hour + 1) % 24:02d}:00")
    return f"{' · '.join(parts)} ({zone})" if parts else DASH


def _contributors(digest: WeekDigest) -> Section | None:
    if not digest.contributors:
        return None
    lines = []
    for n, c in enumerate(digest.contributors[:TOP], 1):
        kinds = [
            plural(c.messages, "message"),
            plural(c.replies, "reply", "replies"),
            plural(c.reactions, "reaction"),
        ]
        detail = ", ".join(k for k in kinds if not k.startswith("0 "))
        lines.append(f"{n}. {bold(title(c.name, 40))} · {c.total:,} ({detail})")
    return Section(title="Top contributors", text="\n".join(lines))


def _content(digest: WeekDigest) -> Section:
    content = digest.content
    if not content.posts:
        return Section(title="Content", text="No calendar posts this week.")
    fields = [("All posts", _per_post(content.posts, content.average))]
    fields += [
        (t.content_type.capitalize(), _per_post(t.posts, t.average))
        for t in content.types[:SHOWN_ITEMS]
    ]
    best, worst = content.best, content.worst
    if best is not None and (worst is None or worst == best or content.posts == 1):
        fields.append(("Only post" if content.posts == 1 else "Best post", _post(best, digest)))
    elif best is not None and worst is not None:
        fields += [("Best post", _post(best, digest)), ("Worst post", _post(worst, digest))]
    return Section(title="Content", text=f"Engagement: {ENGAGEMENT}.", fields=tuple(fields))


def _per_post(posts: int, average: float | None) -> str:
    each = DASH if average is None else f"{average:.1f}"
    return f"{plural(posts, 'post')} · {each} each"


def _post(post: PostFigures, digest: WeekDigest) -> str:
    """`AMA recap (video, Wed 18, 31 reactions + replies)`, the title a link when it has one."""
    named = title(post.title) or "untitled"
    shown = link(post.link, named) if post.link else f"“{named}”"
    day = _local(post.posted_at, digest.zone)
    drew = plural(post.engagement, "reaction + reply", "reactions + replies")
    return f"{shown} ({post.content_type}, {DAYS[day.weekday()][:3]} {day.day}, {drew})"


def _local(at: datetime, zone: str) -> datetime:
    return at.astimezone(ZoneInfo(zone))


def _initiatives(digest: WeekDigest) -> Section | None:
    i = digest.initiatives
    lines = [_poll_line(p) for p in i.polls]
    lines += [f"Survey “{title(s.title)}” · {plural(s.responses, 'response')}" for s in i.surveys]
    for c in i.contests:
        won = ", ".join(title(w, 40) for w in c.winners) or "no winner drawn"
        lines.append(
            f"Contest “{title(c.title)}” · {plural(c.entries, 'entry', 'entries')} · {won}"
        )
    if not lines:
        return None
    more = len(lines) - SHOWN_ITEMS
    shown = lines[:SHOWN_ITEMS] + ([f"… and {more} more"] if more > 0 else [])
    return Section(title="Polls, surveys & contests closed", text="\n".join(shown))


def _poll_line(poll: ClosedPoll) -> str:
    """`Poll “Best day?” · 34 voters (41% turnout) · Wed 18, Mon 10, Fri 6`."""
    turnout = "" if poll.turnout_pct is None else f" ({poll.turnout_pct:.0f}% turnout)"
    ranked = sorted(poll.results, key=lambda r: -r[1])
    results = ", ".join(f"{title(o, 40)} {n:,}" for o, n in ranked[:3])
    results += f", +{len(ranked) - 3} more" if len(ranked) > 3 else ""
    votes = f" · {results}" if poll.voters else ""
    return f"Poll “{title(poll.question)}” · {plural(poll.voters, 'voter')}{turnout}{votes}"


def _questions(digest: WeekDigest) -> Section:
    q = digest.inquiries
    if not q.asked:
        return Section(title="Member questions", text="None asked this week.")
    share = q.answered_pct
    fields = (
        ("Asked", f"{q.asked:,}"),
        ("Answered", f"{q.answered:,} ({share:.0f}%)" if share is not None else DASH),
        (
            "First response",
            f"median {duration(q.median_seconds)} · p90 {duration(q.p90_seconds)}",
        ),
        (
            "Answered first by",
            f"{plural(q.by_members, 'member')} · {plural(q.by_managers, 'manager')}",
        ),
        ("Open past the SLA", f"{q.overdue:,}" if q.overdue else "none"),
    )
    return Section(title="Member questions", fields=fields)


def _feedback(digest: WeekDigest) -> Section:
    f = digest.feedback
    if not f.count or f.average is None:
        was = (
            f" ({plural(f.previous_count, 'entry', 'entries')} the week before)"
            if f.previous_count
            else ""
        )
        return Section(title="Feedback", text=f"None this week{was}.")
    fields = (
        ("Received", count(f.count, f.previous_count)),
        ("Average sentiment", f"{f.average:+.2f} ({sentiment.label(f.average)})"),
        ("Trend", _mood_trend(f.average, f.previous_average)),
        (
            "Top themes",
            ", ".join(f"{title(t, 40)} ({n})" for t, n in f.themes[:TOP]) or "none recurring yet",
        ),
    )
    return Section(title="Feedback", fields=fields)


def _mood_trend(average: float, previous: float | None) -> str:
    """`↑ +0.12 (from +0.20)`, or that there is nothing to compare with."""
    if previous is None:
        return "no feedback the week before to compare"
    moved = average - previous
    arrow = "→" if abs(moved) < STEADY_SENTIMENT else ("↑" if moved > 0 else "↓")
    return f"{arrow} {moved:+.2f} (from {previous:+.2f})"


def _objectives(digest: WeekDigest) -> Section:
    if not digest.objectives:
        hint = "None set yet: managers set them with `/objective set metric:… target:…`."
        return Section(title="Objectives", text=hint)
    fields = tuple((title(r.name) or r.metric, _objective(r)) for r in digest.objectives)
    return Section(title="Objectives", fields=fields)


def _objective(result: ObjectiveResult) -> str:
    """`✅ met · 52 (target ≥ 50)` over `41 → 44 → 47 → 52`."""
    sign = "≤" if result.direction == AT_MOST else "≥"
    target = f"target {sign} {_value(result.metric, result.target)}"
    if result.met is None:
        verdict = f"no data yet ({target})"
    else:
        mark = "✅ met" if result.met else "❌ missed"
        verdict = f"{mark} · {_value(result.metric, result.actual)} ({target})"
    trend = list(result.trend)
    while trend and trend[0] is None:  # weeks before there was a digest
        trend.pop(0)
    if len(trend) < 2:
        return verdict
    return (
        verdict + "\n" + " → ".join(DASH if v is None else _value(result.metric, v) for v in trend)
    )


def _value(metric: str, value: float | None) -> str:
    if metric in METRICS:
        return format_value(metric, value)
    return DASH if value is None else f"{value:,.1f}"


def _recommendations(digest: WeekDigest) -> Section:
    if not digest.recommendations:
        return Section(title="Recommendations", text="None this week: no figure stood out enough.")
    lines = [
        f"{n}. {r.text}\n    Why: {r.because.rstrip('.')}."
        for n, r in enumerate(digest.recommendations, 1)
    ]
    return Section(title="Recommendations", text="\n".join(lines))
