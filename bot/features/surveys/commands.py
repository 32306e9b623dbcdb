"""`/survey`: managers post a survey; members answer in a form, once each, editable until close."""

from __future__ import annotations

import logging
from datetime import datetime
from functools import partial
from zoneinfo import ZoneInfo

from bot.core.app import Steward
from bot.core.commands import Access, Option, OptionType
from bot.core.context import CommandContext, EventContext
from bot.core.directory import Directory
from bot.core.errors import UsageError
from bot.core.events import MemberRef
from bot.core.messages import Message, SentMessage
from bot.core.outbox import Recipe
from bot.core.outbox_store import enqueue_once
from bot.core.posts import edit_post, post_and_remember
from bot.features.surveys import store
from bot.features.surveys.questions import (
    checked_answers,
    parse_questions,
    survey_form,
)
from bot.features.surveys.render import (
    questions_of,
    render_closing,
    render_post,
    render_results,
)
from bot.features.surveys.store import Survey
from bot.text.when import CLOSES_HELP, WhenError, format_local, parse_closing
from jobs.closing import ClosingJob

log = logging.getLogger(__name__)

DEFAULT_CHANNEL = "general"
RESULTS_KIND = "survey:results"  # the outbox kind of a survey's closing summary
_ID = Option("id", OptionType.INTEGER, required=True, min_value=1, help="survey number")


def install(app: Steward) -> None:
    command = app.registry.command
    command(
        "survey create",
        "Post a survey with a Respond button (as many questions as a form holds; `q (1-5)` rates).",
        Option("title", required=True, max_length=100, help="the survey's title"),
        Option("questions", required=True, help='"q1 | q2 (1-5) | q3"'),
        Option("closes", help=CLOSES_HELP),
        Option("channel", OptionType.CHANNEL, help=f"where to post; default #{DEFAULT_CHANNEL}"),
        access=Access.MANAGER,
    )(create_survey)
    command(
        "survey results",
        "A survey's responses: rating averages and free-text answers with sentiment.",
        _ID,
        access=Access.MANAGER,
    )(survey_results)
    command("survey close", "Close a survey now.", _ID, access=Access.MANAGER)(close_command)
    app.on_button("survey", respond, opens_form=True)
    app.on_form("survey", submit)
    app.outbox.renderer(RESULTS_KIND, partial(render_summary, app))
    app.jobs.add(
        ClosingJob(
            "survey-closing",
            app.store,
            store.next_closing,
            store.due_to_close,
            lambda survey_id, now: close_survey(app, survey_id, now),
        )
    )
    app.privacy.add("surveys", store.export_member, store.forget_member)


# ---- managers ---------------------------------------------------------------------------
async def create_survey(ctx: CommandContext) -> None:
    """Check everything, store the survey, post it, and tell the manager its number."""
    usage = ctx.usage()
    caps = ctx.app.capabilities(ctx.event.platform)
    questions = parse_questions(ctx.options["questions"], usage, caps)
    closes_at = parse_closes(ctx.options.get("closes"), ctx.now, ctx.zone, usage)
    channel = ctx.options.get("channel") or await ctx.app.adapter(ctx.event.platform).find_channel(
        DEFAULT_CHANNEL
    )
    if channel is None:
        raise UsageError(f"There is no channel #{DEFAULT_CHANNEL} to post the survey in.", usage)
    survey = await ctx.app.store.run(
        _create,
        ctx.app.directory,
        ctx.member,
        ctx.options["title"],
        [q.text for q in questions],
        ctx.now,
        closes_at,
    )
    await post_and_remember(
        ctx.app,
        channel.platform,
        channel.channel_id,
        render_post(survey, 0, ctx.zone, ctx.now),
        feature=store.FEATURE,
        ref_id=survey.id,
        role=store.POST_ROLE,
        undo=partial(store.delete_survey, survey_id=survey.id),
    )
    if closes_at is not None:
        await ctx.app.work_added()
    await ctx.reply(
        f"Survey #{survey.id} is posted in #{channel.name}. "
        f"`/survey results id:{survey.id}` shows the answers; `/survey close id:{survey.id}` "
        "closes it."
    )


def _create(
    session,
    directory: Directory,
    member: MemberRef,
    title: str,
    questions: list[str],
    at: datetime,
    closes_at: datetime | None,
) -> Survey:
    creator = directory.member_id(session, member, at)
    return store.create_survey(session, title, questions, creator, at, closes_at)


def parse_closes(text: str | None, now: datetime, zone: ZoneInfo, usage: str) -> datetime | None:
    """When the survey closes (see bot.text.when.parse_closing), or None when not given."""
    if not text:
        return None
    try:
        return parse_closing(text, now, zone)
    except WhenError as exc:
        raise UsageError(str(exc), usage) from None


async def survey_results(ctx: CommandContext) -> None:
    survey, answers = await ctx.app.store.run(_survey_with_responses, ctx.options["id"])
    await ctx.reply(render_results(survey, answers, ctx.zone, ctx.now))


async def close_command(ctx: CommandContext) -> None:
    survey = await ctx.app.store.run(_existing, ctx.options["id"])
    if survey.closed_at is not None:
        raise UsageError(
            f"Survey #{survey.id} is already closed ({format_local(survey.closed_at, ctx.zone)})."
        )
    summary = await close_survey(ctx.app, survey.id, ctx.now)
    if summary is False:
        await ctx.reply(
            f"Survey #{survey.id} is closed; its summary could not be posted yet and will be "
            "posted as soon as the platform takes it."
        )
        return
    await ctx.reply(f"Survey #{survey.id} is closed; a short summary is posted with it.")


async def close_survey(app: Steward, survey_id: int, now: datetime) -> bool | None:
    """Close the survey once (None if already closed), mark its post closed, and post its
    summary through the outbox (enqueued with the close); False if it could not go out yet."""
    closed = await app.store.run(_close, survey_id, now)
    if closed is None:
        return None
    survey, count, post, item = closed

    async def render() -> Message:
        return render_post(survey, count, app.settings.community.zone, now)

    await edit_post(app, post, render)  # a post deleted on the platform still gets its summary
    return await app.outbox.send_one(item) is not None or item is None


def _close(session, survey_id: int, now: datetime):
    if not store.mark_closed(session, survey_id, now):
        return None
    survey, count = _survey_and_count(session, survey_id)
    post = store.survey_post(session, survey_id)
    item = None
    if post is not None:
        item = enqueue_once(
            session,
            now,
            feature=store.FEATURE,
            kind=RESULTS_KIND,
            ref_id=survey_id,
            platform=post.platform,
            channel_id=post.channel_id,
            role=store.RESULTS_ROLE,
            label=f"the summary of survey #{survey_id}",
        )
    return survey, count, post, item


async def render_summary(app: Steward, recipe: Recipe) -> Message | None:
    """The outbox's renderer of a survey's closing summary, from the database."""
    try:
        survey, answers = await app.store.run(_survey_with_responses, recipe.ref_id)
    except UsageError:  # the survey is gone
        return None
    return render_closing(survey, answers)


def _existing(session, survey_id: int) -> Survey:
    survey = store.get_survey(session, survey_id)
    if survey is None:
        raise UsageError(f"There is no survey #{survey_id}.")
    return survey


def _survey_with_responses(session, survey_id: int):
    survey = _existing(session, survey_id)
    return survey, store.responses(session, survey_id)


# ---- members ----------------------------------------------------------------------------
async def respond(ctx: EventContext) -> None:
    """The Respond button: open the survey's form, pre-filled with the member's last answers."""
    survey_id = _survey_id(ctx.event.action_id, "survey:respond:")
    survey, previous = await ctx.app.store.run(
        _open_survey_and_answers, ctx.app.directory, ctx.member, survey_id, ctx.now, ctx.zone
    )
    await ctx.open_form(survey_form(survey.id, survey.title, questions_of(survey), previous))


def _open_survey_and_answers(
    session, directory: Directory, member: MemberRef, survey_id: int, now: datetime, zone: ZoneInfo
) -> tuple[Survey, list[str] | None]:
    survey = _open_survey(session, survey_id, now, zone)
    member_id = directory.known_member_id(session, member)  # reads only: the form comes first
    response = store.get_response(session, survey_id, member_id) if member_id else None
    return survey, (response.answers if response else None)


def _open_survey(session, survey_id: int, now: datetime, zone: ZoneInfo) -> Survey:
    survey = _existing(session, survey_id)
    if not survey.is_open(now):
        closed = survey.closed_at or survey.closes_at
        assert closed is not None
        raise UsageError(
            f"Survey #{survey_id} ({survey.title}) closed {format_local(closed, zone)}; "
            "it takes no more responses."
        )
    return survey


async def submit(ctx: EventContext) -> None:
    """A filled-in form: check every answer, then store or replace the member's response."""
    survey_id = _survey_id(ctx.event.form_id, "survey:")
    survey, first, post = await ctx.app.store.run(
        _save, ctx.app.directory, ctx.member, survey_id, ctx.event.values, ctx.now, ctx.zone
    )
    if not first:
        await ctx.reply(f"Your response to survey #{survey.id} ({survey.title}) was updated.")
        return
    await ctx.reply(
        f"Thank you! Your response to survey #{survey.id} ({survey.title}) is saved. "
        "Press Respond again to change it until the survey closes."
    )
    await edit_post(ctx.app, post, lambda: _current_post(ctx.app, survey_id))


def _save(
    session,
    directory: Directory,
    member: MemberRef,
    survey_id: int,
    values: dict[str, str],
    now: datetime,
    zone: ZoneInfo,
) -> tuple[Survey, bool, SentMessage | None]:
    """Store the member's answers: the survey, whether this is their first response, and
    then the survey's post (its count changed)."""
    survey = _open_survey(session, survey_id, now, zone)
    answers = checked_answers(questions_of(survey), values)
    member_id = directory.member_id(session, member, now)
    first = store.save_response(session, survey_id, member_id, answers, now)
    return survey, first, store.survey_post(session, survey_id) if first else None


async def _current_post(app: Steward, survey_id: int):
    survey, count = await app.store.run(_survey_and_count, survey_id)
    return render_post(survey, count, app.settings.community.zone, app.clock.now())


def _survey_and_count(session, survey_id: int) -> tuple[Survey, int]:
    return _existing(session, survey_id), store.response_count(session, survey_id)


def _survey_id(action: str, prefix: str) -> int:
    number = action.removeprefix(prefix)
    if not action.startswith(prefix) or not number.isdigit():
        raise UsageError("That survey button is no longer active.")
    return int(number)
