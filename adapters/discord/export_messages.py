"""One DiscordChatExporter file's `messages` as neutral events, streamed with ijson.

Event ids are the live adapter's (adapters/discord/inbound.py): a message's id, `edit:…`,
`join:…`, `thread:…`, and reaction_event_id(…, nth=0), since an export gives a reaction
no time. The hot path (a plain post) builds one event from cached member and channel refs.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO

import ijson

from adapters.discord.export_members import PLATFORM, Misshapen, People, as_string
from bot.core.events import (
    ChannelRef,
    MemberJoined,
    MemberRef,
    MessageEdited,
    MessagePosted,
    MessageShared,
    ReactionAdded,
    ReplyPosted,
    ThreadCreated,
    reaction_event_id,
)
from bot.core.export_files import BadExport, Item, Skipped

BOM = b"\xef\xbb\xbf"
MAX_REACTORS = 10**6  # one reaction's count: a number no export reaches (kept in memory)
UNLISTED = Skipped("reactions whose reactors the export does not list")
# DCE writes a system message's text in its own words, not the thread's name
_THREAD_FALLBACK = "Started a thread."
fromisoformat = datetime.fromisoformat


def skip_bom(stream: BinaryIO) -> None:
    """Step over a UTF-8 byte order mark (an editor's, never DCE's), which yajl refuses."""
    if stream.read(3) != BOM:
        stream.seek(0)


@dataclass(frozen=True)
class Place:
    """Where one file's messages were posted, and the names of threads exported with it."""

    channel: ChannelRef
    thread_names: dict[str, str]  # thread id -> name


def read_messages(path: Path, name: str, place: Place, people: People) -> Iterator[Item]:
    """The file's items in file order; BadExport when it breaks off or a message is broken."""
    channel = place.channel
    authors = people.authors
    new_author = people.author
    skipped: dict[str, Skipped] = {}
    position = 0
    try:
        stream = path.open("rb")
    except OSError as error:
        raise BadExport(name, f"cannot be read ({error.strerror or error})") from None
    with stream:
        skip_bom(stream)
        try:
            for message in ijson.items(stream, "messages.item", use_float=True):
                position += 1
                try:
                    message_id = message["id"]
                    kind = message["type"]
                    author = message["author"]
                    author_id = author["id"]
                    if type(message_id) is not str or type(author_id) is not str:
                        as_string(message_id, "an id that is")
                        as_string(author_id, "an author whose id is")
                    member = authors.get(author_id) or new_author(author)
                    at = utc(message["timestamp"])
                    if kind == "Default" or kind == "Reply":
                        text = message.get("content") or ""
                        if type(text) is not str:
                            as_string(text, "a content that is")
                        mentioned = message.get("mentions")
                        mentions = _mentions(mentioned) if mentioned else ()
                        yield _post(
                            message_id,
                            kind,
                            message.get("reference"),
                            member,
                            channel,
                            at,
                            text,
                            mentions,
                        )
                        edited = message.get("timestampEdited")
                        if edited:
                            yield _edit(message_id, member, channel, edited, text)
                    elif kind == "GuildMemberJoin":
                        yield _joined(member, channel, at)
                    elif kind == "ThreadCreated":
                        yield _thread(message, member, place, at)
                    else:
                        yield skipped.get(kind) or skipped.setdefault(kind, _not_a_post(kind))
                    # live, a reaction counts on any message (a wave at a join, say)
                    reactions = message.get("reactions")
                    if reactions:
                        yield from _reactions(reactions, message_id, member, channel, at, people)
                except (KeyError, TypeError, ValueError, AttributeError, OverflowError) as error:
                    raise BadExport(name, broken_message(message, position, error)) from None
        except ijson.JSONError as error:
            raise BadExport(name, broken_file(error, position)) from None


def _mentions(users: list[dict[str, Any]]) -> tuple[str, ...]:
    """The ids of the users a message mentions, in order, once each."""
    ids = tuple(dict.fromkeys([user["id"] for user in users]))
    for user_id in ids:
        as_string(user_id, "a mention of a user whose id is")
    return ids


def utc(stamp: str) -> datetime:
    """DCE's ISO 8601 time (UTC with --utc, else the exporter's local offset) in UTC."""
    at = fromisoformat(stamp)
    return at if at.tzinfo is UTC else _in_utc(at)


def _in_utc(at: datetime) -> datetime:
    return at.astimezone(UTC) if at.tzinfo is not None else at.replace(tzinfo=UTC)


def _post(
    message_id: str,
    kind: str,
    reference: dict[str, Any] | None,
    member: MemberRef,
    channel: ChannelRef,
    at: datetime,
    text: str,
    mentions: tuple[str, ...],
) -> MessagePosted | ReplyPosted | MessageShared:
    """A post, as live: with a reference, a forward shares, a reference in the same channel
    answers, any other (a crosspost) is a post. DCE before 2026 wrote no reference `type`:
    then a plain message referring to another channel is taken for a forward."""
    reference = reference or {}
    source_id = reference.get("messageId")
    source_channel = reference.get("channelId") or channel.channel_id
    if source_id is not None:
        as_string(source_id, "a reference to a message whose id is")
    as_string(source_channel, "a reference to a channel whose id is")
    elsewhere = source_channel != channel.channel_id
    ref_type = reference.get("type")
    forward = ref_type == "Forward" or (ref_type is None and kind == "Default" and elsewhere)
    if source_id and forward:
        return MessageShared(
            event_id=message_id,
            member=member,
            channel=channel,
            at=at,
            message_id=message_id,
            source_channel_id=source_channel,
            source_message_id=source_id,
            text=text,
            mentions=mentions,
        )
    if source_id and not elsewhere:
        return ReplyPosted(
            event_id=message_id,
            member=member,
            channel=channel,
            at=at,
            message_id=message_id,
            parent_id=source_id,
            text=text,
            mentions=mentions,
        )
    return MessagePosted(
        event_id=message_id,
        member=member,
        channel=channel,
        at=at,
        message_id=message_id,
        text=text,
        mentions=mentions,
    )


def _edit(
    message_id: str, member: MemberRef, channel: ChannelRef, stamp: str, text: str
) -> MessageEdited:
    at = utc(stamp)
    return MessageEdited(
        event_id=f"edit:{message_id}:{at.timestamp()}",
        member=member,
        channel=channel,
        at=at,
        message_id=message_id,
        text=text,
    )


def _reactions(
    reactions: list[dict[str, Any]],
    message_id: str,
    author: MemberRef,
    channel: ChannelRef,
    at: datetime,
    people: People,
) -> list[Item]:
    """One ReactionAdded per listed reactor; a Skipped for each one counted but not listed."""
    items: list[Item] = []
    for reaction in reactions:
        emoji = emoji_text(reaction.get("emoji") or {})
        listed = [user for user in reaction.get("users") or () if user.get("id")]
        for user in listed:
            as_string(user["id"], "a reactor whose id is")
            items.append(
                ReactionAdded(
                    event_id=reaction_event_id(message_id, user["id"], emoji, True, 0),
                    member=people.reactor(user),
                    channel=channel,
                    at=at,
                    message_id=message_id,
                    emoji=emoji,
                    message_author=author,
                )
            )
        count = reaction.get("count")
        missing = int(count) - len(listed) if isinstance(count, int | float) else 0
        if missing > MAX_REACTORS:
            raise Misshapen(f"a reaction counted {count:,} times")
        items.extend([UNLISTED] * max(missing, 0))
    return items


def emoji_text(emoji: dict[str, Any]) -> str:
    """The emoji as str(discord.PartialEmoji) gives it live: the character itself, or
    `<:name:id>` (`<a:name:id>` when animated) for a custom one."""
    name = emoji.get("name") or ""
    emoji_id = emoji.get("id")
    if not emoji_id:
        return name
    if not name or name == "Unknown Emoji":  # DCE's name for a custom emoji Discord left unnamed
        name = "_"
    return f"<a:{name}:{emoji_id}>" if emoji.get("isAnimated") else f"<:{name}:{emoji_id}>"


def _joined(member: MemberRef, channel: ChannelRef, at: datetime) -> MemberJoined:
    return MemberJoined(
        event_id=f"join:{member.user_id}:{at.timestamp()}",
        member=replace(member, joined_at=at),
        channel=channel,
        at=at,
    )


def _thread(message: dict[str, Any], member: MemberRef, place: Place, at: datetime) -> Item:
    """A thread started in this channel; its name from the thread's own file when exported
    with it (DCE writes "Started a thread." as the text since 2023)."""
    reference = message.get("reference") or {}
    thread_id = reference.get("channelId")
    parent = place.channel
    if not thread_id or thread_id == parent.channel_id:
        return Skipped("ThreadCreated messages that do not name their thread")
    as_string(thread_id, "a thread whose id is")
    content = message.get("content") or ""
    name = place.thread_names.get(thread_id) or ("" if content == _THREAD_FALLBACK else content)
    thread = ChannelRef(
        PLATFORM,
        thread_id,
        name or thread_id,
        is_admin=parent.is_admin,
        parent_id=parent.channel_id,
        thread_id=thread_id,
    )
    return ThreadCreated(
        event_id=f"thread:{thread_id}",
        member=member,
        channel=thread,
        at=at,
        name=name,
    )


def _not_a_post(kind: object) -> Skipped:
    # DCE names the message types it knows; any other it writes as Discord's number
    shown = f"type {kind}" if isinstance(kind, str) and kind.isdigit() else str(kind)
    return Skipped(f"{shown} messages (not a member's post)")


def broken_message(message: object, position: int, error: Exception) -> str:
    """What is wrong with a message, found by its id (else its place in the file)."""
    again = "re-export it with --format Json"
    if not isinstance(message, dict):
        return f"message #{position} is not an object; {again}"
    which = f"message {message['id']}" if message.get("id") else f"message #{position}"
    for key in ("id", "type", "timestamp", "author"):
        if not message.get(key):
            return f"{which} has no {key}; {again}"
    author = message["author"]
    if not isinstance(author, dict) or not author.get("id"):
        return f"{which} has an author without an id; {again}"
    if isinstance(error, Misshapen):
        return f"{which} has {error}; {again}"
    if isinstance(error, ValueError):
        return f"{which} has a time that is not one ({error}); {again}"
    return f"{which} is not shaped as DiscordChatExporter writes it ({error!r}); {again}"


def broken_file(error: Exception, position: int) -> str:
    """Why the file stopped parsing after `position` messages, in one line."""
    after = f"after {position} message{'s' if position != 1 else ''}"
    if "premature EOF" in str(error):
        return f"ends {after}: it looks truncated; re-export it"
    return f"is not valid JSON {after} ({_first_line(error)}); re-export it"


def _first_line(error: Exception) -> str:
    """The error's first line, as text (yajl gives some of its messages as bytes)."""
    said = error.args[0] if len(error.args) == 1 else str(error)
    if isinstance(said, bytes):
        said = said.decode("utf-8", "replace")
    lines = str(said).strip().splitlines()
    return lines[0].strip() if lines else type(error).__name__
