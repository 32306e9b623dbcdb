"""What the digest tests of both platforms share: a week moved past, objectives and closed
polls enough to make the digest as long as it gets."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from itertools import product

from bot.features.digest import week_at
from bot.features.objectives import AT_LEAST, AT_MOST, METRICS, Objective
from bot.features.polls.store import Poll, PollOption, PollVote
from tests.adapters import running as runs

PNG = b"\x89PNG\r\n\x1a\n"
MOST_OBJECTIVES = 2 * len(METRICS)  # `/objective set` keeps one per metric and direction
NAME = 80  # characters of an objective's name (a poll's question) the digest shows whole
CLOSED_POLLS = 12  # more than the digest lists (10, then "… and 2 more")
SHOWN_OBJECTIVES = 25  # one embed's fields


async def into_next_week(running: runs.Running, after_monday: timedelta) -> str:
    """The clock moved to `after_monday` past the coming Monday 00:00 (the community's zone),
    so the week of the activity is the last full week; that week's label."""
    zone = running.app.settings.community.zone
    now = running.clock.now()
    week = week_at(now, zone)
    monday = datetime.combine(week.shifted(1).monday, time(), tzinfo=zone)
    await running.advance(monday + after_monday - now)
    return week.label


def objectives_named(count: int, at: datetime):
    """`count` objectives, each name 80 characters long, set a month before `at`: every
    metric at least and at most, as `/objective set` keeps them (over 26, some metric twice,
    as the store allows); work for `app.store.run` giving their names."""

    def add(session) -> list[str]:
        names = []
        pairs = list(product(METRICS, (AT_LEAST, AT_MOST)))
        for n in range(count):
            metric, direction = pairs[n % len(pairs)]
            name = f"Objective {n:02d}: " + "keep the community lively and kind " * 3
            names.append(name[:NAME].strip())
            session.add(
                Objective(
                    name=names[-1], metric=metric, direction=direction, target=50,
                    created_at=at - timedelta(days=30),
                )
            )  # fmt: skip
        return names

    return add


def closed_polls(count: int, at: datetime, platform: str, channel_id: str):
    """`count` polls closed at `at`, questions and options as long as the digest shows them,
    a vote on each option; work for `app.store.run` giving their questions."""

    def add(session) -> list[str]:
        questions = []
        for n in range(count):
            question = f"Poll {n:02d}: " + "which evening suits the next community call best? " * 2
            questions.append(question[:NAME].strip())
            poll = Poll(
                platform=platform, channel_id=channel_id, question=questions[-1],
                created_at=at - timedelta(hours=1), closes_at=at, closed_at=at,
            )  # fmt: skip
            session.add(poll)
            session.flush()
            for position in range(4):
                label = f"Option {position}: " + "the later slot after work hours " * 2
                session.add(PollOption(poll_id=poll.id, position=position, label=label[:40]))
                session.add(
                    PollVote(
                        id=n * 10 + position + 1, poll_id=poll.id, option_index=position,
                        slot=0, voter_hash=f"voter-{n}-{position}",
                    )
                )  # fmt: skip
        return questions

    return add
