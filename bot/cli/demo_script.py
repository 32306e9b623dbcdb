"""The community `steward demo` simulates, day by day: joins, chat, replies, reactions and
questions in the help channels, around the initiatives of demo_initiatives (calendar posts,
polls, a contest, a survey, feedback, objectives).

It starts with a quiet prelude (the founders join over five weeks; a few of them then go
quiet and return in the last week), then `weeks` full weeks, Monday to Sunday in the
community's zone. One seed gives the same acts every time.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from itertools import groupby
from zoneinfo import ZoneInfo

from bot.cli import demo_initiatives as initiatives
from bot.cli import demo_phrases as say
from bot.cli.demo_acts import DAY_FACTORS, Act, Person, Planner, by_expertise, by_reach

PRELUDE_DAYS = 35
FOUNDERS = 0.55  # of the members, there before the first week
CHAT_PER_WRITER = 0.4  # messages a day per member who writes, on an average day
REPLY_SHARE = 0.3  # of chat, replies to a recent message
QUESTIONS_PER_WRITER = 0.028  # a day
HELP_SHARE = 0.8  # of questions, asked in #help (the rest in #general)
GROWTH = 0.05  # more chat each week
HELLO_SHARE = 0.55  # of those who write, who say hello on joining
LEAVE_SHARE = 0.02
RETURN_SHARE = 0.06  # of founders who write: silent from the prelude to the last week
WEEK_OFF = ((1, 0.45), (4, 0.15), (99, 0.04))  # who writes less than x: the chance of a week off
HELP_CHANNELS = ("help", "general")
BUSINESS_HOURS = "mon-fri 08:30-18:00"  # the managers' (the SLA counts these hours)


class CommunityScript(Planner):
    """Every act of the simulation, in time order (see `days`)."""

    def __init__(self, members: int, weeks: int, start: date, zone: ZoneInfo, seed: int):
        super().__init__(zone, seed)
        self.weeks = weeks
        self.start = start  # the Monday of the first full week
        self.members = members
        self.begins = self.local(start - timedelta(days=PRELUDE_DAYS), 9)
        self.people = self._people(members)
        self.managers = [p for p in self.people if p.manager]
        self.recent: deque[Act] = deque(maxlen=40)  # chat a reply may answer
        self.last_asked: dict[str, datetime] = {}
        self._build()
        end = self.local(start + timedelta(weeks=weeks), 0)  # what falls later is not played
        self.acts = sorted((a for a in self.acts if a.at < end), key=lambda a: (a.at, a.seq))

    @property
    def ends(self) -> datetime:
        """Monday 09:30 after the last week: the weekly digest's time has passed."""
        return self.local(self.start + timedelta(weeks=self.weeks), 9, 30)

    def iso_weeks(self) -> list[tuple[int, int]]:
        """The simulated weeks as ISO (year, week), oldest first."""
        mondays = (self.start + timedelta(weeks=n) for n in range(self.weeks))
        return [monday.isocalendar()[:2] for monday in mondays]

    def days(self) -> Iterator[tuple[date, list[Act]]]:
        """The acts grouped by local day, in order."""
        for day, acts in groupby(self.acts, key=lambda act: self.local_day(act.at)):
            yield day, list(acts)

    def phases(self) -> list[tuple[int | None, list[Act]]]:
        """The prelude's acts (None), then each week's (0 first), in order."""
        phases: list[tuple[int | None, list[Act]]] = [(None, [])]
        for day, acts in self.days():
            week = (day - self.start).days // 7 if day >= self.start else None
            if week != phases[-1][0]:
                phases.append((week, []))
            phases[-1][1].extend(acts)
        return phases

    # ---- who ----------------------------------------------------------------------------
    def _people(self, total: int) -> list[Person]:
        people = [Person(name, 1.5, self.begins, manager=True) for name in say.MANAGERS]
        names = _member_names(max(total - len(people), 1))
        self.rnd.shuffle(names)
        founders = round(len(names) * FOUNDERS)
        for index, name in enumerate(names):
            if index < founders:
                joins = self.moment(
                    self.start - timedelta(days=self.rnd.randint(1, PRELUDE_DAYS - 1))
                )
            else:
                [week] = self.rnd.choices(
                    range(self.weeks), [1 + 0.1 * w for w in range(self.weeks)]
                )
                joins = self.moment(self.start + timedelta(weeks=week, days=self._weekday()))
            people.append(Person(name, self._appetite(), joins, newcomer=index >= founders))
        self._comings_and_goings(people, people[len(say.MANAGERS) : len(say.MANAGERS) + founders])
        return people

    def _weekday(self) -> int:
        return self.rnd.choices(range(7), DAY_FACTORS)[0]

    def _appetite(self) -> float:
        """How much a member writes: a few core members, regulars, occasional ones, lurkers."""
        draw = self.rnd.random()
        if draw < 0.06:
            return self.rnd.uniform(5, 9)
        if draw < 0.30:
            return self.rnd.uniform(1.8, 3.5)
        if draw < 0.65:
            return self.rnd.uniform(0.4, 1.0)
        return 0.0

    def _comings_and_goings(self, people: list[Person], founders: list[Person]) -> None:
        """Some founders leave during the weeks; some went quiet long ago and come back in the
        last week (joined early in the prelude, silent for more than 28 days); members who
        write take weeks off, the occasional ones more often."""
        last_week = self.local(self.start + timedelta(weeks=self.weeks - 1), 0)
        early = self.begins + timedelta(days=5)
        for person in founders:
            if self.chance(LEAVE_SHARE):
                days = self.rnd.uniform(1, 7 * self.weeks - 1)
                person.leaves = self.local(self.start, 8) + timedelta(days=days)
            elif person.posts and self.chance(RETURN_SHARE):
                person.joins = self.begins + timedelta(hours=self.rnd.uniform(1, 96))
                person.posts = max(person.posts, 2.0)
                person.away.append((early, last_week))
        for person in people:
            off = next(p for below, p in WEEK_OFF if person.posts < below)
            for week in range(self.weeks):
                if not person.manager and self.chance(off):
                    monday = self.start + timedelta(weeks=week)
                    person.away.append(
                        (self.local(monday, 0), self.local(monday, 0) + timedelta(weeks=1))
                    )

    # ---- the days -----------------------------------------------------------------------
    def _build(self) -> None:
        initiatives.setup(self, self.begins + timedelta(minutes=5))
        for person in self.people:
            self._join(person)
        for n in range(PRELUDE_DAYS):
            self._day(self.start - timedelta(days=PRELUDE_DAYS - n), 0.1)
        for week in range(self.weeks):
            monday = self.start + timedelta(weeks=week)
            initiatives.plan_week(self, week, monday)
            for n in range(7):
                self._day(monday + timedelta(days=n), 1 + GROWTH * week)

    def writers(self, day: date) -> list[Person]:
        """Who may write on `day`: joined before it ends, not gone before it starts."""
        start, end = self.local(day, 0), self.local(day + timedelta(days=1), 0)
        return [
            p
            for p in self.people
            if p.posts > 0 and p.joins < end and (p.leaves is None or p.leaves > start)
        ]

    def _day(self, day: date, scale: float) -> None:
        writers = self.writers(day)
        factor = DAY_FACTORS[day.weekday()] * scale
        chat = sorted(
            self.moment(day) for _ in range(self.count(len(writers) * CHAT_PER_WRITER * factor))
        )
        for at in chat:
            self._chat(writers, at)
        for _ in range(self.count(len(writers) * QUESTIONS_PER_WRITER * factor)):
            self._question(writers, self.moment(day))

    def _join(self, person: Person) -> None:
        self.add(person.joins, person, "join", tally="join")
        if person.leaves is not None:
            self.add(person.leaves, person, "leave", tally="leave")
        if person.manager or not person.posts or not self.chance(HELLO_SHARE):
            return
        hello = self.add(
            self.after(person.joins, 15),
            person,
            "say",
            channel="general",
            text=self.rnd.choice(say.HELLOS),
            tally="message",
            keyed=True,
        )
        self.react(hello, self.rnd.randint(1, 3))
        if self.chance(0.4):
            greeter = self.pick(self.people, hello.at, by_expertise, {person.name})
            if greeter is not None:
                at = self.after(hello.at, 30)
                self.add(
                    at, greeter, "reply", target=hello.key, text="Welcome aboard!", tally="reply"
                )

    # ---- chat ---------------------------------------------------------------------------
    def _chat(self, writers: list[Person], at: datetime) -> None:
        author = self.pick(writers, at)
        if author is None:
            return
        parents = [act for act in self.recent if act.at < at and act.member != author.name]
        if parents and self.chance(REPLY_SHARE):
            parent = self.rnd.choice(parents[-8:])
            text = self.rnd.choice(say.REPLIES)
            act = self.add(
                at, author, "reply", target=parent.key, text=text, tally="reply", keyed=True
            )
        else:
            act = self.add(
                at,
                author,
                "say",
                channel="general",
                text=self._chat_line(),
                tally="message",
                keyed=True,
            )
        self.recent.append(act)
        self.react(act, self.count(0.4 + 0.1 * author.posts))

    def _chat_line(self) -> str:
        if self.chance(0.3):
            return self.rnd.choice(say.CHAT_LINES)
        start, thing = self.rnd.choice(say.CHAT_STARTS), self.rnd.choice(say.CHAT_THINGS)
        return f"{start} {thing}{self.rnd.choice(say.CHAT_ENDS)}"

    def react(self, act: Act, n: int) -> None:
        """`n` different members react to the message of `act`, each once, soon after."""
        taken = {act.member}
        for _ in range(min(n, 12)):
            at = self.after(act.at, 45)
            person = self.pick(self.people, at, by_reach, taken)
            if person is None:
                return
            taken.add(person.name)
            emoji = self.rnd.choice(say.REACTIONS)
            self.add(at, person, "react", target=act.key, text=emoji, tally="reaction")

    # ---- questions ----------------------------------------------------------------------
    def _question(self, writers: list[Person], at: datetime) -> None:
        def eagerness(person: Person) -> float:
            fresh = person.newcomer and at - person.joins < timedelta(days=10)
            return (person.posts + 1) * (3 if fresh else 1)

        asker = self.pick([p for p in writers if not p.manager], at, eagerness)
        last = self.last_asked.get(asker.name) if asker is not None else None
        if asker is None or (last is not None and abs(at - last) < timedelta(days=1)):
            return  # (a second question this soon would join the first)
        self.last_asked[asker.name] = at
        channel = "help" if self.chance(HELP_SHARE) else "general"
        text = self.rnd.choice(say.QUESTION_LEADS) + self.rnd.choice(say.QUESTIONS)
        question = self.add(
            at,
            asker,
            "say",
            channel=channel,
            text=text[0].upper() + text[1:],
            tally="question",
            keyed=True,
        )
        self._answer(question, slow=1 if channel == "help" else 2.5)

    def _answer(self, question: Act, slow: float) -> None:
        """Answered first by a member (often within minutes), by a manager (in their working
        hours), or by nobody; a manager sometimes adds to a member's answer."""
        draw = self.rnd.random()
        if draw < 0.12 * slow:
            return
        if draw < 0.62:
            at = self.spread(question.at, 14 * slow, 1.1)
            answerer = self.pick(
                self.people[len(self.managers) :], at, by_expertise, {question.member}
            )
        else:
            answerer = self.rnd.choice(self.managers)
            at = self.manager_time(question.at, slow * initiatives.manager_pace(self, question.at))
        if answerer is None:
            return
        answer = self.add(
            at,
            answerer,
            "reply",
            target=question.key,
            text=self.rnd.choice(say.ANSWERS),
            tally="answer",
            keyed=True,
        )
        if self.chance(0.5):
            thanks = self.add(
                self.after(at, 20),
                question.member,
                "reply",
                target=answer.key,
                text=self.rnd.choice(say.THANKS),
                tally="reply",
            )
            self.react(thanks, self.count(0.3))
        elif not answerer.manager and self.chance(0.2):
            manager = self.rnd.choice(self.managers)
            later = self.manager_time(at, 1)
            self.add(
                later,
                manager,
                "reply",
                target=question.key,
                text="Also see the pinned guide",
                tally="reply",
            )

    def manager_time(self, after: datetime, pace: float) -> datetime:
        """When a manager answers something seen at `after`: soon in working hours (weekdays
        08:30-18:00 local), else the next working morning; `pace` > 1 is slower."""
        local = after.astimezone(self.zone)
        working = local.weekday() < 5 and (8, 30) <= (local.hour, local.minute) < (18, 0)
        if working:
            return self.spread(after, 25 * pace, 0.8)
        day = local.date() + timedelta(days=0 if (local.hour, local.minute) < (8, 30) else 1)
        while day.weekday() >= 5:
            day += timedelta(days=1)
        return self.local(day, 8, 30) + timedelta(minutes=self.rnd.uniform(0, 90 * pace))


def _member_names(n: int) -> list[str]:
    """`n` distinct console names: first names, then first names with an initial."""
    names = list(say.FIRST_NAMES)
    for letter in say.SURNAME_LETTERS:
        if len(names) >= n:
            break
        names.extend(f"{first}.{letter}" for first in say.FIRST_NAMES)
    return names[:n]
