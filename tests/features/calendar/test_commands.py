"""`/calendar`: add, list, edit, pause, resume, cancel, the heads-up and skip (neutral messages)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlmodel import select

from bot.features.calendar.store import occurrence_role
from bot.store.models import BotMessage, Interaction
from tests.features.calendar.support import (
    berlin_recorded,
    first_lines,
    manage,
    occurrences,
    posts,
    timeline_of,
)
from tests.recording import Posted, Recorded, Said

FRIDAY = datetime(2026, 3, 27, 7, 0, tzinfo=UTC)  # 08:00 CET, two days before DST starts
DAILY = "/calendar add when:+1h channel:general type:article text:Daily repeat:daily"


def told_ann(said: Said) -> list[str]:
    return said.told("ann")


def heads_ups(posts_: list[Posted]) -> list[Posted]:
    return [p for p in posts_ if p.channel.name == "managers" and p.text.startswith("⏰")]


async def test_add_replies_with_id_and_next_three_local_times(db_url: str) -> None:
    async with berlin_recorded(db_url, FRIDAY) as recorded:
        [reply] = await manage(
            recorded,
            '/calendar add when:"tomorrow 09:00" channel:announcements '
            'type:article title:"Weekly update" text:"What happened" repeat:daily',
        )
    assert reply.text == "📅 Scheduled calendar post #1: article in #announcements, repeats daily."
    assert reply.section("Next").text == (
        "Sat 2026-03-28 09:00 CET\nSun 2026-03-29 09:00 CEST\nMon 2026-03-30 09:00 CEST"
    )


BAD_ADD = [
    ("when:someday channel:general type:article text:x", "'someday' is not a date and time"),
    ("when:2026-02-30T09:00 channel:general type:article text:x", "is not a date and time"),
    ("when:2026-03-01T09:00 channel:general type:article text:x", "`when` is in the past"),
    (
        "when:+1h channel:newz type:article text:x",
        "`channel`: there is no channel #newz. Channels: #announcements, #general, #help, "
        "#managers.",
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
]


@pytest.mark.parametrize(("options", "error"), BAD_ADD)
async def test_add_refuses_bad_input_and_stores_nothing(
    recorded: Recorded, options: str, error: str
) -> None:
    [reply] = await manage(recorded, f"/calendar add {options}")
    assert reply.private_to == recorded.member("ann")
    assert error in reply.text
    assert "Usage: /calendar add when:" in reply.text
    assert posts(recorded) == []


async def test_a_time_the_clocks_skip_is_refused(db_url: str) -> None:
    async with berlin_recorded(db_url, FRIDAY) as recorded:
        [reply] = await manage(
            recorded, "/calendar add when:2026-03-29T02:30 channel:general type:article text:x"
        )
        assert posts(recorded) == []
    assert "2026-03-29 02:30 does not exist in Europe/Berlin" in reply.text


async def test_only_managers_in_the_managers_channel(recorded: Recorded) -> None:
    said = await recorded.command("/calendar add when:+1h channel:general type:article text:x")
    assert said.told("you")[0].startswith("`/calendar add` is for community managers.")
    recorded.manager("ann")
    said = await recorded.command("/calendar list", by="ann")
    assert said.told("ann")[0].startswith("`/calendar list` works only in the managers' channel.")
    assert posts(recorded) == []


async def test_one_off_post_goes_out_once_as_a_tagged_rich_message(recorded: Recorded) -> None:
    [reply] = await manage(
        recorded,
        "/calendar add when:+2h channel:announcements type:video title:Demo "
        'text:"Watch the demo" link:https://example.org/demo',
    )
    assert reply.text == "📅 Scheduled calendar post #1: video in #announcements."
    assert first_lines(await recorded.advance("1h59m")) == []
    said = await recorded.advance("1m")
    said += await recorded.advance("3d")
    [post] = said.public(channel="announcements")
    assert (post.message.tag, post.plain) == (
        "video",
        "Demo\nWatch the demo\nLink: https://example.org/demo",
    )
    assert [(o.status, o.occurs_at.hour) for o in occurrences(recorded)] == [("sent", 11)]
    assert posts(recorded)[0].status == "done"


async def test_reactions_on_a_published_post_link_back_to_its_content_type(
    recorded: Recorded,
) -> None:
    await manage(recorded, "/calendar add when:+1h channel:general type:discussion text:Thoughts?")
    [post] = (await recorded.advance("1h")).public("discussion")
    assert post.text == "Thoughts?"
    await recorded.react(post, "👍", by="bob")
    await recorded.reply(post, "mine", by="bob")

    def load(session):
        sent = session.exec(select(BotMessage).where(BotMessage.feature == "calendar")).one()
        kinds = session.exec(
            select(Interaction.kind, Interaction.content_type).where(
                Interaction.kind.in_(("reaction_added", "reply"))
            )
        ).all()
        return sent, sorted(kinds)

    await recorded.app.interactions.stop()
    sent, kinds = recorded.app.store.call(load)
    assert (sent.ref_id, sent.role, sent.content_type, sent.platform_message_id) == (
        1,
        occurrence_role(post.at),  # the message of the occurrence that went out then
        "discussion",
        post.message_id,
    )
    assert kinds == [("reaction_added", "discussion"), ("reply", "discussion")]


async def test_poll_posts_publish_a_real_poll(recorded: Recorded) -> None:
    await manage(
        recorded,
        '/calendar add when:+1h channel:general type:poll title:"Best AMA day?" '
        'text:"Mon | Wed | Fri"',
    )
    [poll] = (await recorded.advance("1h")).public("poll")
    assert (poll.channel.name, poll.text) == ("general", "Best AMA day?")
    assert poll.labels == ["Mon · 0", "Wed · 0", "Fri · 0"]
    await recorded.click(poll, "Wed", by="bob")
    await recorded.advance("2s")
    assert poll.labels == ["Mon · 0", "Wed · 1", "Fri · 0"]
    assert [o.status for o in occurrences(recorded)] == ["sent"]


async def test_list_is_an_agenda_grouped_by_local_day(db_url: str) -> None:
    async with berlin_recorded(db_url, FRIDAY) as recorded:
        await manage(
            recorded,
            "/calendar add when:2026-03-28T18:30 channel:general type:discussion text:Chat\n"
            '/calendar add when:"sun 09:00" channel:announcements type:article text:News '
            "repeat:weekly\n"
            "/calendar add when:+3h channel:announcements type:event text:Meetup\n"
            "/calendar pause id:3",
        )
        [agenda] = await manage(recorded, "/calendar list days:10")
        [only] = await manage(recorded, "/calendar list channel:general")
    assert agenda.text == "Calendar: the next 10 days (Europe/Berlin)"
    titles = [s.title for s in agenda.message.sections]
    assert titles == ["Sat 2026-03-28", "Sun 2026-03-29", "Sun 2026-04-05", "Paused"]
    assert agenda.section("Sat 2026-03-28").text == "18:30 #1 [discussion] #general — Chat"
    news = "09:00 #2 [article] #announcements — News (weekly)"
    assert agenda.section("Sun 2026-03-29").text == news
    assert agenda.section("Sun 2026-04-05").text == news
    assert agenda.section("Paused").text == "#3 [event] #announcements — Meetup"
    assert only.text.startswith("Calendar in #general") and "News" not in only.plain


async def test_pause_resume_edit_and_cancel(recorded: Recorded) -> None:
    await manage(recorded, DAILY)
    assert first_lines(await recorded.advance("1h")) == ["Daily"]
    said = await manage(recorded, "/calendar pause id:1")
    said += await recorded.advance("2d1h")
    [paused] = said.posted_in("managers")
    assert paused.endswith(
        "Calendar post #1 is paused; nothing goes out until /calendar resume id:1."
    )
    assert first_lines(said) == []
    [resumed] = (await manage(recorded, "/calendar resume id:1")).posted_in("managers")
    assert resumed.endswith("Calendar post #1 is resumed; next: Thu 2026-03-05 10:00 UTC.")
    [edited] = (
        await manage(recorded, '/calendar edit id:1 text:"Daily, edited" when:"tomorrow 12:00"')
    ).public(channel="managers")
    assert edited.text.endswith("Calendar post #1 changed (text, when).")
    assert edited.section("Next").text.startswith(
        "Thu 2026-03-05 12:00 UTC\nFri 2026-03-06 12:00 UTC"
    )
    said = await recorded.advance("1d1h")
    assert timeline_of(said, "UTC") == ["Thu 2026-03-05 12:00 UTC Daily, edited"]
    said = await manage(recorded, "/calendar cancel id:1")
    said += await recorded.advance("3d")
    [cancelled] = said.posted_in("managers")
    assert cancelled.endswith("Calendar post #1 is cancelled; it will not be published again.")
    assert first_lines(said) == []
    said = await manage(recorded, "/calendar resume id:1\n/calendar edit id:9 text:x")
    [refused, unknown] = told_ann(said)
    assert refused.startswith("Calendar post #1 is cancelled; that cannot be done now.")
    assert unknown.startswith("There is no calendar post #9; /calendar list shows them.")
    statuses = [(o.occurs_at.day, o.occurs_at.hour, o.status) for o in occurrences(recorded)]
    assert statuses == [(2, 10, "sent"), (5, 12, "sent")]


async def test_resuming_a_one_off_whose_time_passed_says_what_to_do(recorded: Recorded) -> None:
    said = await manage(
        recorded,
        "/calendar add when:+1h channel:general type:article text:Once\n/calendar pause id:1",
    )
    said += await recorded.advance("2h")
    said += await manage(recorded, "/calendar resume id:1")
    assert told_ann(said)[-1].startswith(
        "Calendar post #1 has no time left to go out (it was due while paused)."
    )
    assert first_lines(said) == []
    assert posts(recorded)[0].status == "paused"


async def test_heads_up_before_each_post_and_skip_this_one(recorded: Recorded) -> None:
    await manage(recorded, DAILY)
    assert heads_ups(await recorded.advance("44m")) == []
    [heads_up] = heads_ups(await recorded.advance("1m"))
    assert heads_up.plain == (
        "⏰ In 15m: calendar post #1 (article) goes out in #general at "
        "Mon 2026-03-02 10:00 UTC.\nDaily"
    )
    assert heads_up.labels == ["Skip this one"]
    said = await recorded.click(heads_up, "Skip", by="bob")
    assert said.told("bob") == ["Only community managers can skip calendar posts."]
    await recorded.click(heads_up, "Skip", by="ann")
    assert heads_up.text == ("⏭️ Skipped: calendar post #1 at Mon 2026-03-02 10:00 UTC (by ann).")
    said = await recorded.advance("1d15m")
    assert timeline_of(said, "UTC") == ["Tue 2026-03-03 10:00 UTC Daily"]
    [tuesday] = heads_ups(said)
    said = await recorded.click(tuesday, "Skip", by="ann")
    assert said.told("ann") == ["Calendar post #1 at Tue 2026-03-03 10:00 UTC already went out."]
    statuses = [o.status for o in occurrences(recorded)]
    assert statuses == ["skipped", "sent"]


async def test_no_heads_up_when_disabled(db_url: str) -> None:
    async with berlin_recorded(db_url, FRIDAY, heads_up="0m") as recorded:
        await manage(recorded, "/calendar add when:+1h channel:general type:article text:x")
        said = await recorded.advance("1h")
    assert heads_ups(said) == []
    assert first_lines(said) == ["x"]


async def test_a_long_agenda_is_cut_short_with_a_hint(recorded: Recorded) -> None:
    adds = "\n".join(
        f"/calendar add when:+{n}h channel:general type:event text:E{n} repeat:daily"
        for n in range(1, 6)
    )
    await manage(recorded, adds)
    [agenda] = await manage(recorded, "/calendar list days:30")
    assert 40 <= agenda.plain.count("[event] #general — E") <= 60
    assert "… and more; ask for fewer days (days:15) or one channel." in agenda.plain
    assert len(agenda.plain) <= 2000


async def test_the_agenda_fits_in_one_message(recorded: Recorded) -> None:
    """A message holds 2000 characters here (the recording adapter declares the strictest
    platform's length): long headlines and rules are cut to fit."""
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
    await manage(recorded, f"{adds}\n{pauses}")
    [agenda] = await manage(recorded, "/calendar list days:1")
    reply = agenda.plain
    assert reply.startswith("Calendar: the next day (UTC)")
    assert len(reply) <= 2000
    assert "(RRULE:FREQ=WEEKLY;BYDAY=MO,TU…)" in reply
    assert "… and more; ask for fewer days (days:1) or one channel." in reply
    assert agenda.section("Paused").text.startswith("#4 [article] #general — P1 yyy")
    assert "… and 5 more paused" in reply


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
    recorded: Recorded, change: str, said: str
) -> None:
    await manage(recorded, DAILY)
    [heads_up] = heads_ups(await recorded.advance("50m"))
    assert heads_up.labels == ["Skip this one"]
    await manage(recorded, change)
    assert heads_up.text == (
        f"⏰ Calendar post #1 will not go out at Mon 2026-03-02 10:00 UTC: {said}."
    )
    assert heads_up.labels == []  # no Skip button left
    assert first_lines(await recorded.advance("20m")) == []


async def test_after_skipping_an_edit_shows_the_skipped_time_as_skipped(
    recorded: Recorded,
) -> None:
    await manage(recorded, DAILY)
    [heads_up] = heads_ups(await recorded.advance("50m"))
    await recorded.click(heads_up, "Skip", by="ann")
    [edited] = (await manage(recorded, '/calendar edit id:1 text:"Daily, edited"')).public(
        channel="managers"
    )
    assert edited.section("Next").text.startswith(
        "Mon 2026-03-02 10:00 UTC — skipped\nTue 2026-03-03 10:00 UTC\n"
    )
    said = await recorded.advance("1d1h")
    assert timeline_of(said, "UTC") == ["Tue 2026-03-03 10:00 UTC Daily, edited"]


async def test_repeat_none_makes_a_running_post_a_one_off_at_its_next_time(
    recorded: Recorded,
) -> None:
    await manage(recorded, DAILY)
    await recorded.advance("1d2h")  # went out Mon and Tue 10:00
    [edited] = (await manage(recorded, "/calendar edit id:1 repeat:none")).public(
        channel="managers"
    )
    assert edited.text.endswith("Calendar post #1 changed (repeat).")
    assert edited.section("Next").text.startswith("Wed 2026-03-04 10:00 UTC")
    assert first_lines(await recorded.advance("3d")) == ["Daily"]
    assert posts(recorded)[0].status == "done"
