"""What Steward knows of a workspace: its channels, its people and its user groups, read
once at start (paginated) and kept current from events, so translating an ordinary message
makes no Web API call."""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

import aiohttp
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.web.async_client import AsyncWebClient

log = logging.getLogger(__name__)

T = TypeVar("T")
NO_SUCH_USER = ("user_not_found", "user_not_visible")  # not asked again
CHANNELS_LISTED = {"types": "public_channel,private_channel", "exclude_archived": True}
PAGE = 200  # items per page of conversations.list and users.list
USER_ID = re.compile(r"[UW][A-Z0-9]{6,}")  # U…, or W… on Enterprise Grid (B… is a bot, not a user)
CHANNEL_ID = re.compile(r"[CGD][A-Z0-9]{6,}")  # a channel, a (legacy) private one, a DM


@dataclass
class Person:
    """A workspace member as Slack names them."""

    user_id: str
    name: str
    is_bot: bool = False


@dataclass
class Place:
    """A channel: its name, whether Steward is in it, whether it is the workspace's #general."""

    channel_id: str
    name: str
    is_member: bool = True
    is_private: bool = False
    is_general: bool = False


@dataclass
class Directory:
    """The workspace's channels, people and user groups, by id."""

    client: AsyncWebClient
    people: dict[str, Person] = field(default_factory=dict)
    places: dict[str, Place] = field(default_factory=dict)
    groups: dict[str, dict[str, Any]] = field(default_factory=dict)  # id -> usergroup
    unknown: set[str] = field(default_factory=set)  # user ids Slack would not describe
    _asking: dict[str, asyncio.Future[Person | None]] = field(default_factory=dict, init=False)

    async def load(self) -> None:
        """Every channel Steward can see and every person, page by page."""
        async for item in pages(self.client.conversations_list, "channels", **CHANNELS_LISTED):
            self.remember_place(item)
        async for item in pages(self.client.users_list, "members"):
            self.remember_person(item)

    async def load_groups(self) -> None:
        """The workspace's user groups (needs usergroups:read)."""
        answer = await self.client.usergroups_list(include_disabled=False)
        self.groups = {group["id"]: group for group in answer.get("usergroups", [])}

    def remember_place(self, item: dict[str, Any]) -> Place:
        place = Place(
            item["id"],
            item.get("name") or item["id"],
            is_member=bool(item.get("is_member", True)),
            is_private=bool(item.get("is_private")),
            is_general=bool(item.get("is_general")),
        )
        self.places[place.channel_id] = place
        return place

    def remember_person(self, item: dict[str, Any]) -> Person:
        profile = item.get("profile") or {}
        name = profile.get("display_name") or profile.get("real_name") or item.get("name")
        person = Person(item["id"], name or item["id"], bool(item.get("is_bot")))
        self.people[person.user_id] = person
        self.unknown.discard(person.user_id)
        return person

    # ---- lookups ------------------------------------------------------------------------
    def person(self, user_id: str, fallback: str = "") -> Person:
        """Who `user_id` is (unknown yet: named by `fallback` or the id until `refresh`)."""
        return self.people.get(user_id) or Person(user_id, fallback or user_id)

    async def fetch_person(self, user_id: str) -> Person | None:
        """Who `user_id` is: known, else asked of Slack (users.info: a member who joined
        since). None for what is not a user id, or an id Slack would not describe (not asked
        again while Steward runs)."""
        known = self.people.get(user_id)
        if known is not None or user_id in self.unknown or not USER_ID.fullmatch(user_id):
            return known
        if user_id not in self._asking:  # one question, however many events wait on it
            self._asking[user_id] = asyncio.ensure_future(self._ask_about(user_id))
        return await asyncio.shield(self._asking[user_id])

    async def _ask_about(self, user_id: str) -> Person | None:
        """users.info: an id Slack says is no one is not asked again; a failure that may
        pass (rate limits, the network) is asked again at the next event."""
        try:
            answer = await self.client.users_info(user=user_id)
        except SlackApiError as exc:
            error = exc.response.get("error")
            log.warning("Slack: users.info %s failed: %s", user_id, error)
            if error in NO_SUCH_USER:
                self.unknown.add(user_id)
            return None
        except (SlackClientError, aiohttp.ClientError, OSError) as exc:
            log.warning("Slack: users.info %s failed: %s", user_id, exc)
            return None
        finally:
            del self._asking[user_id]
        return self.remember_person(answer["user"])

    async def learn(self, *user_ids: object) -> None:
        """Ask Slack about each person not known yet (a member who joined since the start)."""
        for user_id in user_ids:
            if isinstance(user_id, str) and user_id:
                await self.fetch_person(user_id)

    def place(self, channel_id: str, fallback: str = "") -> Place:
        return self.places.get(channel_id) or Place(channel_id, fallback or channel_id)

    async def fetch_place(self, channel_id: str) -> Place | None:
        """The channel `channel_id`, asking Slack when not known (None: not a channel id, or
        Slack shows Steward none: a private channel it is not in)."""
        known = self.places.get(channel_id)
        if known is not None or not CHANNEL_ID.fullmatch(channel_id):
            return known
        return await self.refresh_place(channel_id)

    async def refresh_place(self, channel_id: str) -> Place | None:
        """The channel as Slack shows it now (renamed, Steward invited); what was known
        before stays when Slack cannot be asked."""
        try:
            answer = await self.client.conversations_info(channel=channel_id)
        except (SlackClientError, aiohttp.ClientError, OSError) as exc:
            log.warning("Slack: conversations.info %s failed: %s", channel_id, exc)
            return self.places.get(channel_id)
        return self.remember_place(answer["channel"])

    def find_place(self, name_or_id: str) -> Place | None:
        """A channel by id or by name (with or without `#`)."""
        return _find(self.places, name_or_id, "#", lambda p: (p.name,))

    def find_person(self, name_or_id: str) -> Person | None:
        """A person by id or by name (with or without `@`)."""
        return _find(self.people, name_or_id, "@", lambda p: (p.name,))

    def find_group(self, name_or_id: str) -> dict[str, Any] | None:
        """A user group by id, handle (`@mods` or `mods`) or name."""
        return _find(
            self.groups, name_or_id, "@", lambda g: (g.get("handle", ""), g.get("name", ""))
        )

    def general(self) -> Place | None:
        """The workspace's #general (every member is in it): where workspace joins count."""
        return next((p for p in self.places.values() if p.is_general), None)


def _find(
    known: dict[str, T], name_or_id: str, sigil: str, names: Callable[[T], tuple[str, ...]]
) -> T | None:
    """The item with id `name_or_id`, else the first whose names match it (any case)."""
    key = name_or_id.strip().removeprefix(sigil)
    if key in known:
        return known[key]
    folded = key.casefold()
    return next(
        (item for item in known.values() if folded in (n.casefold() for n in names(item))), None
    )


async def pages(method: Any, key: str, **args: Any) -> AsyncIterator[dict[str, Any]]:
    """Every item under `key` of a cursor-paginated Web API method, page after page."""
    cursor = None
    while True:
        paging = {"cursor": cursor} if cursor else {}
        answer = await method(limit=PAGE, **paging, **args)
        for item in answer.get(key, []):
            yield item
        cursor = (answer.get("response_metadata") or {}).get("next_cursor")
        if not cursor or answer.get("has_more") is False:
            return
