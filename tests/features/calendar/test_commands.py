"""`/calendar` in the console: add, list, edit, pause, resume, cancel, the heads-up and skip."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlmodel import select

from bot.store.models import BotMessage, Interaction
from tests.conftest import Community
from tests.features.calendar.support import (
    MANAGER,
    berlin,
    number_of,
    occurrences,
    posts,
    published,
    timeline,
)

FRIDAY = datetime(2026, 3, 27, 7, 0, tzinfo=UTC)  # 08:00 CET, two days before DST starts


async def test_add_replies_with_id_and_next_three_local_times(db_url: str) -> None:
    async with berlin(db_url, FRIDAY) as community:
        out = await community.run(
            MANAGER + '\n/calendar add when:"tomorrow 09:00" channel:announcements '
            'type:article title:"Weekly update" text:"What happened" repeat:daily'
        )
    assert "Scheduled calendar post #1: article in #announcements, repeats daily." in out
    assert (
        "== Next ==\n    Sat 2026-03-28 09:00 CET\n    Sun 2026-03-29 09:00 CEST\n"
        "    Mon 2026-03-30 09:00 CEST" in out
    )


@pytest.mark.parametrize(
    ("options", "error"),
    [
        ("when:someday channel:general type:article text:x", "'someday' is not a date and time"),
        ("when:2026-02-30T09:00 channel:general type:article text:x", "is not a date and time"),
        ("when:2026-03-01T09:00 channel:general type:article text:x", "`when` is in the past"),
        (
            "when:+1h channel:newz type:article text:x",
            "unknown channel #newz. Channels: #announcements, #general, #help, #managers.",
        ),
        ("when:+1h channel:general type:podcast text:x", "`type` must be one of article, video"),
        (
            "when:+1h channel:general type:article text:x repeat:fortnightly",
            "`repeat` 'fortnightly' is not a rule I know",
        ),
        (
            'when:+1h channel:general type:article text:x repeat:"61 * * * *"',
            "is not a cron expression I can read",
        ),
        (
            'when:+1h channel:general type:article text:x repeat:"*/5 * * * *"',
            "`repeat` '*/5 * * * *' would post more than once an hour",
        ),
        ("when:+1h channel:general type:poll text:Yes?", 'a poll takes title:"Question?"'),
        (
            "when:+1h channel:general type:article text:x link:example.org",
            "`link` must be a web address like https://example.org/page",
        ),
        ('when:"mon 25:00" channel:general type:article text:x', "is not a time of day"),
        (
            'when:+1h channel:general type:poll title:"Best day?" text:"Mon | mon"',
            "'mon' is given twice; each option must be different.",
        ),
        (
            f'when:+1h channel:general type:poll title:Pick text:"a | {"b" * 56}"',
            "Option 2 is 56 characters; the limit is 55.",
        ),
        (
            f"when:+1h channel:general type:article title:{'T' * 257} text:x",
            "`title` is 257 characters; the limit is 256.",
        ),
        (
            f"when:+1h channel:general type:article text:{'x' * 2001}",
            "`text` is 2001 characters; the limit is 2000.",
        ),
        (
            f"when:+1h channel:general type:article title:{'T' * 200} text:{'x' * 1800}",
            "With its title and link the post is 2001 characters; a message holds 2000.",
        ),
        (
            "when:+1h channel:general type:article text:x link:https://",
            "`link` must be a web address like https://example.org/page (got 'https://').",
        ),
        (
            'when:+1h channel:general type:article text:x link:"https://exa mple.org"',
            "`link` must be a web address like https://example.org/page",
        ),
    ],
)
async def test_add_refuses_bad_input_and_stores_nothing(
    community: Community, options: str, error: str
) -> None:
    out = await community.run(f"{MANAGER}\n/calendar add {options}")
    assert "Steward → ann (private): " in out
    assert error in out
    assert "Usage: /calendar add when:" in out
    assert posts(community) == []


async def test_a_time_the_clocks_skip_is_refused(db_url: str) -> None:
    async with berlin(db_url, FRIDAY) as community:
        out = await community.run(
            MANAGER + "\n/calendar add when:2026-03-29T02:30 channel:general type:article text:x"
        )
    assert "2026-03-29 02:30 does not exist in Europe/Berlin" in out


async def test_only_managers_in_the_managers_channel(community: Community) -> None:
    out = await community.run("/calendar add when:+1h channel:general type:article text:x")
    assert "`/calendar add` is for community managers." in out
    out = await community.run(":as ann manager\n/calendar list")
    assert "`/calendar list` works only in the managers' channel." in out
    assert posts(community) == []


async def test_one_off_post_goes_out_once_as_a_tagged_rich_message(community: Community) -> None:
    out = await community.run(
        MANAGER + "\n/calendar add when:+2h channel:announcements type:video title:Demo "
        'text:"Watch the demo" link:https://example.org/demo'
    )
    assert "Scheduled calendar post #1: video in #announcements." in out
    out = await community.run(":advance 1h59m")
    assert published(out) == []
    out = await community.run(":advance 1m\n:advance 3d")
    assert "[announcements] Steward [video]: Demo\n    Watch the demo\n" in out
    assert "    Link: https://example.org/demo" in out
    assert published(out) == ["Demo"]
    assert [(o.status, o.occurs_at.hour) for o in occurrences(community)] == [("sent", 11)]
    assert posts(community)[0].status == "done"


async def test_reactions_on_a_published_post_link_back_to_its_content_type(
    community: Community,
) -> None:
    await community.run(
        MANAGER + "\n/calendar add when:+1h channel:general type:discussion text:Thoughts?"
    )
    out = await community.run(":advance 1h")
    number = number_of(out, "Steward [discussion]: Thoughts?")
    await community.run(f":as bob\n:react {number} 👍\n:reply {number} mine")

    def load(session):
        sent = session.exec(select(BotMessage).where(BotMessage.feature == "calendar")).one()
        kinds = session.exec(
            select(Interaction.kind, Interaction.content_type).where(
                Interaction.kind.in_(("reaction_added", "reply"))
            )
        ).all()
        return sent, sorted(kinds)

    await community.app.interactions.stop()
    sent, kinds = community.app.store.call(load)
    assert (sent.ref_id, sent.content_type) == (1, "discussion")
    assert kinds == [("reaction_added", "discussion"), ("reply", "discussion")]


async def test_poll_posts_publish_a_real_poll(community: Community) -> None:
    await community.run(
        MANAGER + '\n/calendar add when:+1h channel:general type:poll title:"Best AMA day?" '
        'text:"Mon | Wed | Fri"'
    )
    out = await community.run(":advance 1h")
    assert "[general] Steward [poll]: Best AMA day?" in out
    assert "[1: Mon" in out and "[3: Fri" in out
    number = number_of(out, "Steward [poll]: Best AMA day?")
    out = await community.run(f":as bob\n:in general\n:click {number} Wed\n:advance 2s")
    assert "[2: Wed · 1]" in out or "Wed · 1" in out
    assert [o.status for o in occurrences(community)] == ["sent"]


async def test_list_is_an_agenda_grouped_by_local_day(db_url: str) -> None:
    async with berlin(db_url, FRIDAY) as community:
        await community.run(
            MANAGER
            + "\n/calendar add when:2026-03-28T18:30 channel:general type:discussion text:Chat"
            + '\n/calendar add when:"sun 09:00" channel:announcements type:article text:News '
            "repeat:weekly"
            + "\n/calendar add when:+3h channel:announcements type:event text:Meetup"
            + "\n/calendar pause id:3"
        )
        out = await community.run("/calendar list days:10")
        only = await community.run("/calendar list channel:general")
    assert "Calendar: the next 10 days (Europe/Berlin)" in out
    agenda = out[out.index("== Sat 2026-03-28 ==") :]
    assert agenda.index("18:30 #1 [discussion] #general — Chat") < agenda.index(
        "== Sun 2026-03-29 ==\n    09:00 #2 [article] #announcements — News (weekly)"
    )
    assert "== Sun 2026-04-05 ==\n    09:00 #2 [article] #announcements — News (weekly)" in agenda
    assert "== Paused ==\n    #3 [event] #announcements — Meetup" in agenda
    assert "Calendar in #general" in only and "News" not in only


async def test_pause_resume_edit_and_cancel(community: Community) -> None:
    await community.run(
        MANAGER + "\n/calendar add when:+1h channel:general type:article text:Daily repeat:daily"
    )
    out = await community.run(":advance 1h")
    assert published(out) == ["Daily"]
    out = await community.run("/calendar pause id:1\n:advance 2d1h")
    assert "Calendar post #1 is paused; nothing goes out until /calendar resume id:1." in out
    assert published(out) == []
    out = await community.run("/calendar resume id:1")
    assert "Calendar post #1 is resumed; next: Thu 2026-03-05 10:00 UTC." in out
    out = await community.run('/calendar edit id:1 text:"Daily, edited" when:"tomorrow 12:00"')
    assert "Calendar post #1 changed (text, when)." in out
    assert "Thu 2026-03-05 12:00 UTC\n    Fri 2026-03-06 12:00 UTC" in out
    out = await community.run(":advance 1d1h")
    assert timeline(out) == ["Thu 2026-03-05 12:00 UTC Daily, edited"]
    out = await community.run("/calendar cancel id:1\n:advance 3d")
    assert "Calendar post #1 is cancelled; it will not be published again." in out
    assert published(out) == []
    out = await community.run("/calendar resume id:1\n/calendar edit id:9 text:x")
    assert "Calendar post #1 is cancelled; that cannot be done now." in out
    assert "There is no calendar post #9; /calendar list shows them." in out
    statuses = [(o.occurs_at.day, o.occurs_at.hour, o.status) for o in occurrences(community)]
    assert statuses == [(2, 10, "sent"), (5, 12, "sent")]


async def test_resuming_a_one_off_whose_time_passed_says_what_to_do(community: Community) -> None:
    out = await community.run(
        MANAGER
        + "\n/calendar add when:+1h channel:general type:article text:Once"
        + "\n/calendar pause id:1\n:advance 2h\n/calendar resume id:1"
    )
    assert "Calendar post #1 has no time left to go out (it was due while paused)." in out
    assert published(out) == []
    assert posts(community)[0].status == "paused"


async def test_heads_up_before_each_post_and_skip_this_one(community: Community) -> None:
    await community.run(
        MANAGER + "\n/calendar add when:+1h channel:general type:article text:Daily repeat:daily"
    )
    out = await community.run(":advance 44m")
    assert "heads-up" not in out.lower() and "⏰" not in out
    out = await community.run(":advance 1m")
    assert (
        "[managers] Steward: ⏰ In 15m: calendar post #1 (article) goes out in #general at "
        "Mon 2026-03-02 10:00 UTC.\n    Daily\n    [1: Skip this one]" in out
    )
    number = number_of(out, "⏰")
    out = await community.run(f":as bob\n:click {number} Skip")
    assert "Only community managers can skip calendar posts." in out
    out = await community.run(f":as ann\n:click {number} Skip")
    assert (
        f"#{number} (edited) [managers] Steward: ⏭️ Skipped: calendar post #1 at "
        "Mon 2026-03-02 10:00 UTC (by ann)." in out
    )
    out = await community.run(":advance 1d15m")
    assert timeline(out) == ["Tue 2026-03-03 10:00 UTC Daily"]
    heads_up = number_of(out, "⏰ In 15m: calendar post #1")
    out = await community.run(f":click {heads_up} Skip")
    assert "Calendar post #1 at Tue 2026-03-03 10:00 UTC already went out." in out
    statuses = [o.status for o in occurrences(community)]
    assert statuses == ["skipped", "sent"]


async def test_no_heads_up_when_disabled(db_url: str) -> None:
    async with berlin(db_url, FRIDAY, heads_up="0m") as community:
        out = await community.run(
            MANAGER + "\n/calendar add when:+1h channel:general type:article text:x\n:advance 1h"
        )
    assert "⏰" not in out
    assert published(out) == ["x"]


async def test_a_long_agenda_is_cut_short_with_a_hint(community: Community) -> None:
    adds = "\n".join(
        f"/calendar add when:+{n}h channel:general type:event text:E{n} repeat:daily"
        for n in range(1, 6)
    )
    out = await community.run(f"{MANAGER}\n{adds}\n/calendar list days:30")
    assert 40 <= out.count("[event] #general — E") <= 60
    assert "… and more; ask for fewer days (days:15) or one channel." in out
    assert len(_reply(out)) <= 2000


async def test_the_agenda_fits_in_one_message(community: Community) -> None:
    """A Discord message holds 2000 characters: long headlines and rules are cut to fit."""
    rule = "RRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR,SA,SU;BYHOUR=9,12,15,18"
    adds = "\n".join(
        f'/calendar add when:+{n}h channel:announcements type:announcement text:"{n} {"x" * 80}" '
        f'repeat:"{rule}"'
        for n in range(1, 4)
    )
    pauses = "\n".join(
        f'/calendar add when:+1d channel:general type:article text:"P{n} {"y" * 80}"\n'
        f"/calendar pause id:{n + 3}"
        for n in range(1, 16)
    )
    out = await community.run(f"{MANAGER}\n{adds}\n{pauses}\n/calendar list days:1")
    reply = _reply(out)
    assert reply.startswith("Calendar: the next day (UTC)")
    assert len(reply) <= 2000
    assert "(RRULE:FREQ=WEEKLY;BYDAY=MO,TU…)" in reply
    assert "… and more; ask for fewer days (days:1) or one channel." in reply
    assert "== Paused ==\n#4 [article] #general — P1 yyy" in reply
    assert "… and 5 more paused" in reply


def _reply(out: str) -> str:
    """The last private reply of the output, as the member reads it (without indentation)."""
    last = out[out.rindex("(private): ") + len("(private): ") :]
    return "\n".join(line.removeprefix("    ") for line in last.splitlines())


@pytest.mark.parametrize(
    ("change", "said"),
    [
        ("/calendar cancel id:1", "cancelled by ann"),
        ("/calendar pause id:1", "paused by ann"),
        (
            '/calendar edit id:1 when:"tomorrow 12:00"',
            "moved by ann; next: Tue 2026-03-03 12:00 UTC",
        ),
    ],
)
async def test_a_heads_up_is_withdrawn_when_its_post_will_not_go_out(
    community: Community, change: str, said: str
) -> None:
    await community.run(
        MANAGER + "\n/calendar add when:+1h channel:general type:article text:Daily repeat:daily"
    )
    out = await community.run(":advance 50m")
    number = number_of(out, "⏰ In 15m: calendar post #1")
    out = await community.run(change)
    assert (
        f"#{number} (edited) [managers] Steward: ⏰ Calendar post #1 will not go out at "
        f"Mon 2026-03-02 10:00 UTC: {said}.\n" in out
    )
    out = await community.run(f":click {number} Skip\n:advance 20m")
    assert "that message has no buttons" in out
    assert published(out) == []


async def test_after_skipping_an_edit_shows_the_skipped_time_as_skipped(
    community: Community,
) -> None:
    await community.run(
        MANAGER + "\n/calendar add when:+1h channel:general type:article text:Daily repeat:daily"
    )
    out = await community.run(":advance 50m")
    await community.run(f":click {number_of(out, '⏰')} Skip")
    out = await community.run('/calendar edit id:1 text:"Daily, edited"\n:advance 1d1h')
    assert (
        "== Next ==\n    Mon 2026-03-02 10:00 UTC — skipped\n    Tue 2026-03-03 10:00 UTC\n" in out
    )
    assert timeline(out) == ["Tue 2026-03-03 10:50 UTC Daily, edited"]


async def test_repeat_none_makes_a_running_post_a_one_off_at_its_next_time(
    community: Community,
) -> None:
    await community.run(
        MANAGER + "\n/calendar add when:+1h channel:general type:article text:Daily repeat:daily"
    )
    await community.run(":advance 1d2h")  # went out Mon and Tue 10:00
    out = await community.run("/calendar edit id:1 repeat:none")
    assert (
        "Calendar post #1 changed (repeat).\n    == Next ==\n    Wed 2026-03-04 10:00 UTC\n" in out
    )
    out = await community.run(":advance 3d")
    assert published(out) == ["Daily"]
    assert posts(community)[0].status == "done"
