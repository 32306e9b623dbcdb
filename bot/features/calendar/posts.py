"""What a calendar post is: content types, checking a draft (one command or one imported row),
and the message it publishes as.

A poll post publishes a real poll: `title` is the question and `text` the options
(`a | b | c`); without a title, `text` is `Question? | a | b | c`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlmodel import Session, select

from bot.core.capabilities import Capabilities
from bot.core.errors import UsageError
from bot.core.events import ChannelRef
from bot.core.messages import Message, Section
from bot.features.calendar.channels import Lookup, bare_name
from bot.features.calendar.recurrence import RepeatError, Schedule, normalise_repeat
from bot.features.calendar.store import CalendarPost, activate
from bot.text.excerpts import excerpt
from bot.text.pipe_lists import split_list
from bot.text.when import WhenError, local_to_utc, parse_when

CONTENT_TYPES = ("article", "video", "poll", "event", "announcement", "discussion")
POLL_HELP = 'a poll takes title:"Question?" text:"a | b | c" (or text:"Question? | a | b | c")'
MAX_TITLE = 256  # a headline is a line, not a paragraph (the text's limit is the platform's)
LINK_FORM = "a web address like https://example.org/page"
MAX_POLL_OPTIONS = 10
MAX_NAME_SHOWN = 40  # characters of an unknown channel's name in an error


class DraftError(ValueError):
    """Why a post cannot be scheduled as written."""


class ChannelError(DraftError):
    """The post names no channel, or one that does not exist."""


@dataclass(frozen=True)
class PostDraft:
    """A checked post, ready to store: its channel by platform id (and the name it had)."""

    platform: str
    channel_id: str
    content_type: str
    title: str
    text: str
    link: str
    repeat: str
    timezone: str
    starts_at: datetime
    source: str = ""
    channel_name: str = ""

    def schedule(self) -> Schedule:
        return Schedule(self.repeat, self.starts_at, ZoneInfo(self.timezone))

    def to_post(self, author: int | None, now: datetime, heads_up: timedelta) -> CalendarPost:
        post = CalendarPost(
            platform=self.platform,
            channel_id=self.channel_id,
            channel_name=self.channel_name,
            content_type=self.content_type,
            title=self.title,
            text=self.text,
            link=self.link,
            repeat=self.repeat,
            timezone=self.timezone,
            starts_at=self.starts_at,
            author_id=author,
            source=self.source,
            created_at=now,
        )
        activate(post, now, heads_up)
        return post


def make_draft(
    fields: Mapping[str, object],
    *,
    platform: str,
    now: datetime,
    zone: ZoneInfo,
    channels: Lookup,
    limits: Capabilities,
    source: str = "",
    upcoming_only: bool = True,
) -> PostDraft:
    """Check one post's fields (`when`, `channel`, `type`, `title`, `text`, `link`, `repeat`).

    `when` is text read in `zone`, or an aware datetime (ICS); `timezone` may name the zone
    whose wall-clock hour a recurrence keeps; `channel` (a name or an id) is resolved in
    `channels`, and the post must fit in one message of the platform (`limits`). Raises
    DraftError naming what is wrong; with `upcoming_only=False` a post with no time left is
    returned (see `check_upcoming`).
    """
    zone = _zone(fields.get("timezone"), zone)
    starts_at = _when(fields.get("when"), now, zone)
    channel = _channel(_text(fields, "channel"), channels)
    content_type = _content_type(_text(fields, "type"))
    title, text, link = _text(fields, "title"), _text(fields, "text"), _text(fields, "link")
    _check_body(content_type, title, text, link, limits)
    try:
        repeat = normalise_repeat(_text(fields, "repeat"))
    except RepeatError as exc:
        raise DraftError(str(exc)) from None
    draft = PostDraft(
        platform, channel.channel_id, content_type, title, text, link, repeat, zone.key,
        starts_at, source, channel.name,
    )  # fmt: skip
    if upcoming_only:
        check_upcoming(draft, now)
    return draft


def check_upcoming(draft: PostDraft, now: datetime) -> None:
    """Raise DraftError when `draft` has no occurrence from `now` on."""
    if draft.schedule().first_from(now) is None:
        if draft.repeat:
            raise DraftError(f"`repeat` {draft.repeat!r} has no occurrence after now.")
        raise DraftError("`when` is in the past; give a time from now on.")


def same_post_key(post: PostDraft | CalendarPost) -> tuple:
    """What makes two posts the same post: where, what, when and how it repeats."""
    return (
        post.platform, post.channel_id, post.content_type, post.title, post.text, post.link,
        post.repeat, post.timezone, post.starts_at,
    )  # fmt: skip


def find_same_posts(session: Session, drafts: list[PostDraft]) -> dict[tuple, tuple[int, str]]:
    """The stored posts identical to some of `drafts`: key → (post id, status)."""
    if not drafts:
        return {}
    starts = {draft.starts_at for draft in drafts}
    platforms = {draft.platform for draft in drafts}
    rows = session.exec(
        select(CalendarPost)
        .where(CalendarPost.starts_at.in_(starts), CalendarPost.platform.in_(platforms))
        .order_by(CalendarPost.id)
    ).all()
    found: dict[tuple, tuple[int, str]] = {}
    for post in rows:
        found.setdefault(same_post_key(post), (post.id, post.status))
    return found


def store_posts(
    session: Session,
    drafts: list[PostDraft],
    author: int | None,
    now: datetime,
    heads_up: timedelta,
) -> list[int]:
    """Store checked drafts in one transaction, scheduled by member `author`; return their ids."""
    posts = [draft.to_post(author, now, heads_up) for draft in drafts]
    session.add_all(posts)
    session.flush()
    return [post.id for post in posts]


def poll_parts(title: str, text: str) -> tuple[str, list[str]]:
    """The question and options of a poll post (see the module docstring)."""
    parts = list(split_list(text))
    if title.strip():
        return title.strip(), parts
    return (parts[0], parts[1:]) if parts else ("", [])


def render_post(post: CalendarPost | PostDraft | _Body) -> Message:
    """The rich message of a non-poll post, tagged with its content type."""
    headline = post.title or post.text
    body = post.text if post.title else ""
    fields = (("Link", post.link),) if post.link else ()
    sections = (Section(text=body, fields=fields),) if body or fields else ()
    return Message(text=headline, sections=sections, tag=post.content_type)


def _zone(name: object, default: ZoneInfo) -> ZoneInfo:
    if not name:
        return default
    try:
        return ZoneInfo(str(name))
    except (ZoneInfoNotFoundError, ValueError):
        raise DraftError(f"unknown time zone {name!r}.") from None


def _when(value: object, now: datetime, zone: ZoneInfo) -> datetime:
    if not isinstance(value, datetime) and (not value or not str(value).strip()):
        raise DraftError("`when` is missing.")
    try:
        if isinstance(value, datetime):  # from ICS: aware, or floating (read in `zone`)
            aware = value if value.tzinfo else local_to_utc(value, zone)
            return aware.astimezone(UTC).replace(microsecond=0)
        return parse_when(str(value), now, zone)
    except WhenError as exc:
        raise DraftError(str(exc)) from None


def _text(fields: Mapping[str, object], key: str) -> str:
    value = fields.get(key)
    return "" if value is None else str(value).strip()


def _channel(name: str, channels: Lookup) -> ChannelRef:
    name = bare_name(name)
    if not name:
        raise ChannelError("`channel` is missing.")
    found = channels.ref(name)
    if found is None:
        raise ChannelError(f"unknown channel #{excerpt(name, MAX_NAME_SHOWN)}.")
    return found


def _content_type(name: str) -> str:
    if name.lower() not in CONTENT_TYPES:
        shown = f"unknown type {name!r}" if name else "`type` is missing"
        raise DraftError(f"{shown}; use one of {', '.join(CONTENT_TYPES)}.")
    return name.lower()


def _check_body(content_type: str, title: str, text: str, link: str, limits: Capabilities) -> None:
    """Refuse now what the platform (`limits`) or the poll feature would refuse when it goes
    out: a post is one message, never split."""
    length = limits.message_length
    if not title and not text:
        raise DraftError("a post needs `text` (or a `title`).")
    for name, value, limit in (("title", title, MAX_TITLE), ("text", text, length)):
        if len(value) > limit:
            raise DraftError(f"`{name}` is {len(value)} characters; the limit is {limit}.")
    if link and not _is_web_address(link):
        raise DraftError(f"`link` must be {LINK_FORM} (got {link!r}).")
    if content_type == "poll":
        _check_poll(*poll_parts(title, text), limits)
        return
    size = len(render_post(_Body(content_type, title, text, link)).plain_text())
    if size > length:
        raise DraftError(
            f"With its title and link the post is {size} characters; a message holds "
            f"{length}. Shorten the text."
        )


@dataclass(frozen=True)
class _Body:
    content_type: str
    title: str
    text: str
    link: str


def _is_web_address(link: str) -> bool:
    parts = urlsplit(link)
    return (
        parts.scheme in ("http", "https")
        and bool(parts.hostname)
        and not any(char.isspace() or ord(char) < 32 for char in link)
    )


def _check_poll(question: str, options: list[str], limits: Capabilities) -> None:
    if not question or not 2 <= len(options) <= MAX_POLL_OPTIONS:
        raise DraftError(f"{POLL_HELP}, with 2 to {MAX_POLL_OPTIONS} options.")
    from bot.features.polls import DEFAULT_OPEN, PollDraft, check_poll

    opened = datetime(2000, 1, 1, tzinfo=UTC)  # any time: only the words are checked here
    draft = PollDraft("", "", question, tuple(options), closes_at=opened + DEFAULT_OPEN)
    try:
        check_poll(draft, opened, ZoneInfo("UTC"), limits)
    except UsageError as exc:
        raise DraftError(exc.message) from None
