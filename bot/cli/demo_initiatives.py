"""What the managers of `steward demo`'s community run, and how members take it up: objectives,
a week of calendar posts of every content type (videos draw the most reactions, discussions
the most replies, evening posts more than morning ones), polls, feedback, and in the last week
a contest and a survey.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from bot.cli import demo_phrases as say
from bot.cli.demo_acts import (
    DAY_FACTORS,
    HOURS,
    Act,
    Person,
    by_expertise,
    by_reach,
    by_turnout,
)

if TYPE_CHECKING:
    from bot.cli.demo_script import CommunityScript

# (day of the week, local hour, minute, content type, channel) of the week's calendar posts
SLOTS = (
    (0, 11, 0, "announcement", "announcements"),
    (0, 12, 30, "article", "announcements"),
    (1, 19, 30, "video", "announcements"),
    (2, 18, 0, "discussion", "general"),
    (3, 12, 0, "event", "announcements"),
    (4, 17, 0, "poll", "general"),
    (5, 11, 0, "video", "announcements"),
)
# per member who writes: (reactions, replies) a post of that type draws
PULL = {
    "video": (0.30, 0.04),
    "article": (0.10, 0.03),
    "discussion": (0.07, 0.08),
    "event": (0.12, 0.03),
    "announcement": (0.06, 0.015),
    "poll": (0.03, 0.01),
}
LATE_SHARE = 0.08  # of reactions to a post, more than 48 hours after it
POLL_TURNOUT, MEMBER_POLL_TURNOUT = 0.22, 0.10
FEEDBACK_PER_WRITER = 0.010  # a day
CONTEST_TURNOUT, SURVEY_TURNOUT = 0.12, 0.08


def setup(script: CommunityScript, at: datetime) -> None:
    """The managers set objectives; the most active founder asks not to be named."""
    alice = say.MANAGERS[0]
    active = max(1, round(script.members * 0.45 / 10) * 10)
    objectives = (
        f"metric:weekly_active_members target:{active}",
        "metric:median_first_response_minutes target:30 direction:at_most",
        "metric:answered_inquiry_pct target:85",
        "metric:new_member_retention_pct target:40",
    )
    for n, objective in enumerate(objectives):
        text = f"/objective set {objective}"
        script.add(
            at + timedelta(minutes=n),
            alice,
            "command",
            channel="managers",
            text=text,
            tally="objective",
        )
    founders = [p for p in script.people if not p.newcomer and not p.manager]
    shy = max(founders, key=lambda p: p.posts)
    script.add(
        shy.joins + timedelta(hours=2),
        shy,
        "command",
        channel="general",
        text="/privacy hide-me",
        tally="privacy",
    )


def manager_pace(script: CommunityScript, at: datetime) -> float:
    """How slow the managers are at `at`: three times slower in the week before last
    (a busy week, which the feedback notices)."""
    busy_week = script.start + timedelta(weeks=script.weeks - 2)
    day = script.local_day(at)
    busy = script.weeks >= 3 and busy_week <= day < busy_week + timedelta(weeks=1)
    return 3 if busy else 1


def plan_week(script: CommunityScript, week: int, monday: date) -> None:
    """Week `week` (0 first): calendar posts scheduled on Monday morning, a member's poll on
    Wednesday, feedback every day; a contest and a survey in the last week."""
    _calendar(script, week, monday)
    _member_poll(script, week, monday)
    for n in range(7):
        _feedback(script, monday + timedelta(days=n))
    if week == script.weeks - 1:
        _contest(script, monday)
        _survey(script, monday + timedelta(days=1))


def _audience(script: CommunityScript, at: datetime) -> int:
    """How many members who write are around at `at`."""
    return sum(1 for p in script.people if p.writes(at))


def _takers(
    script: CommunityScript, at: datetime, share: float, when: Callable[[], datetime]
) -> Iterator[tuple[datetime, Person]]:
    """Different members taking part (about `share` of those around at `at`), each at a time
    `when()` draws: who votes, enters or responds."""
    taken: set[str] = set()
    for _ in range(script.count(_audience(script, at) * share)):
        moment = when()
        person = script.pick(script.people, moment, by_turnout, taken)
        if person is not None:
            taken.add(person.name)
            yield moment, person


def _title(titles: tuple, index: int):
    """The `index`th title (a poll: question and options), numbered past the list's end."""
    item = titles[index % len(titles)]
    if index < len(titles):
        return item
    number = index // len(titles) + 1
    if isinstance(item, str):
        return f"{item} #{number}"
    return (f"{item[0].rstrip('?')} #{number}?", item[1])


# ---- calendar posts ---------------------------------------------------------------------
def _calendar(script: CommunityScript, week: int, monday: date) -> None:
    alice = say.MANAGERS[0]
    scheduling = script.local(monday, 9, 0)
    for n, (day, hour, minute, kind, channel) in enumerate(SLOTS):
        hour += script.rnd.choice((0, 0, 1, 2))  # trying other times
        at = script.local(monday + timedelta(days=day), hour, minute)
        when = at.astimezone(script.zone).strftime("%Y-%m-%dT%H:%M")
        options: tuple[str, ...] = ()
        if kind == "poll":
            title, options = _title(say.POLLS, week)
            body = " | ".join(options)
        else:
            index = 2 * week + (n == 6) if kind == "video" else week  # two videos a week
            title = _title(say.POST_TITLES[kind], index)
            body = f"New this week on {say.COMMUNITY}"
        link = (
            f" link:https://makers.example/{kind}/{week + 1}-{n}"
            if kind in ("article", "video")
            else ""
        )
        text = (
            f"/calendar add when:{when} channel:{channel} type:{kind} "
            f'title:"{title}" text:"{body}"{link}'
        )
        post = script.add(
            scheduling + timedelta(minutes=2 * n),
            alice,
            "command",
            channel="managers",
            text=text,
            key=f"post-{week}-{n}",
            tag=kind,
            title=title,
            tally="calendar",
        )
        _engage(script, post, at, kind, len(options))


def _engage(script: CommunityScript, post: Act, at: datetime, kind: str, options: int) -> None:
    """Members react to and reply to the post published at `at`; a poll (of `options`) also
    gets votes."""
    audience = _audience(script, at)
    boost = (HOURS[at.astimezone(script.zone).hour] / 1.2) ** 0.5
    reactions, replies = PULL[kind]
    taken = {post.member}
    for _ in range(script.count(audience * reactions * boost)):
        late = script.chance(LATE_SHARE)
        when = (
            at + timedelta(hours=48, minutes=script.rnd.uniform(5, 600))
            if late
            else script.after(at, 300, 2)
        )
        person = script.pick(script.people, when, by_reach, taken)
        if person is not None:
            taken.add(person.name)
            emoji = script.rnd.choice(say.POST_REACTIONS[kind])
            script.add(when, person, "react", target=post.key, text=emoji, tally="reaction")
    lines = say.CHAT_LINES if kind == "discussion" else say.REPLIES
    for _ in range(script.count(audience * replies * boost)):
        when = script.after(at, 240, 3)
        person = script.pick(script.people, when)
        if person is not None:
            script.add(
                when, person, "reply", target=post.key, text=script.rnd.choice(lines), tally="reply"
            )
    if options:
        _votes(script, post, at, options, POLL_TURNOUT, timedelta(hours=23))


def _votes(
    script: CommunityScript,
    poll: Act,
    at: datetime,
    count: int,
    turnout: float,
    open_for: timedelta,
) -> None:
    """Members vote by clicking an option's button (by its number) before the poll closes."""
    weights = [1 / (n + 1.5) for n in range(count)]
    for when, person in _takers(
        script, at, turnout, lambda: min(script.after(at, 240), at + open_for)
    ):
        [choice] = script.rnd.choices(range(1, count + 1), weights)
        script.add(when, person, "click", target=poll.key, text=str(choice), tally="vote")


def _member_poll(script: CommunityScript, week: int, monday: date) -> None:
    at = script.local(monday + timedelta(days=2), 20, script.rnd.randrange(60))
    author = script.pick(script.people, at, by_expertise)
    if author is None:
        return
    question, options = _title(say.MEMBER_POLLS, week)
    text = f'/poll create question:"{question}" options:"{" | ".join(options)}" closes:2d'
    poll = script.add(
        at,
        author,
        "command",
        channel="general",
        text=text,
        key=f"poll-{week}",
        tag="poll",
        title=question,
        tally="poll",
    )
    _votes(script, poll, at, len(options), MEMBER_POLL_TURNOUT, timedelta(hours=47))


# ---- feedback, the contest and the survey ------------------------------------------------
def _feedback(script: CommunityScript, day: date) -> None:
    """Feedback in `/feedback`, mostly warm; more complaints in the managers' busy week."""
    writers = script.writers(day)
    busy = manager_pace(script, script.local(day, 12)) > 1
    for _ in range(script.count(len(writers) * FEEDBACK_PER_WRITER * DAY_FACTORS[day.weekday()])):
        at = script.moment(day)
        person = script.pick(writers, at, by_turnout)
        if person is None:
            continue
        bad = 0.6 if busy else 0.2
        pool = script.rnd.choices(
            (say.FEEDBACK_GOOD, say.FEEDBACK_BAD, say.FEEDBACK_NEUTRAL), (0.55, bad, 0.25)
        )[0]
        text = f'/feedback text:"{script.rnd.choice(pool)}"'
        script.add(at, person, "command", channel="general", text=text, tally="feedback")


def _contest(script: CommunityScript, monday: date) -> None:
    at = script.local(monday, 10, 15)
    text = f'/contest create title:"{say.CONTEST}" closes:5d channel:general winners:2'
    contest = script.add(
        at,
        say.MANAGERS[0],
        "command",
        channel="managers",
        text=text,
        key="contest",
        tag="contest",
        title=say.CONTEST,
        tally="contest",
    )

    def entering() -> datetime:  # before it closes
        return at + timedelta(days=script.rnd.uniform(0.01, 4.8))

    for when, person in _takers(script, at, CONTEST_TURNOUT, entering):
        script.add(when, person, "click", target=contest.key, text="Enter", tally="entry")


def _survey(script: CommunityScript, tuesday: date) -> None:
    at = script.local(tuesday, 11, 0)
    title, questions = say.SURVEY
    text = f'/survey create title:"{title}" questions:"{questions}" closes:3d channel:general'
    survey = script.add(
        at,
        say.MANAGERS[0],
        "command",
        channel="managers",
        text=text,
        key="survey",
        tag="survey",
        title=title,
        tally="survey",
    )

    def responding() -> datetime:  # before it closes
        return at + timedelta(hours=script.rnd.uniform(0.1, 70))

    for when, person in _takers(script, at, SURVEY_TURNOUT, responding):
        [rating] = script.rnd.choices((2, 3, 4, 5), (1, 3, 5, 4))
        answers = (str(rating), script.rnd.choice(say.SURVEY_WISHES))
        script.add(
            when,
            person,
            "respond",
            target=survey.key,
            text="Respond",
            answers=answers,
            tally="response",
        )
