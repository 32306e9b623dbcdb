"""A local fake Discord (REST + gateway) for end-to-end tests of a discord.py bot.

Point discord.py at it with `discord.http.Route.BASE = fake.api_base_url` and
`discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(fake.gateway_url)`.
The guild starts with @everyone, the bot's managed role, the bot's member and a `general`
text channel (`fake.general_id`); the guild's owner is a user who is not a member.
"""

from __future__ import annotations

import contextlib
import copy
import re
from datetime import datetime
from typing import Any

from aiohttp import web

from tests.fakes.discord_gateway import GatewayMixin
from tests.fakes.discord_interactions import InteractionRecord, InteractionsMixin, wait_for
from tests.fakes.discord_rest import API_PREFIX, error, json_response
from tests.fakes.discord_state import THREAD_TYPES, Recorded, iso

__all__ = ["FakeDiscord", "InteractionRecord", "Recorded", "wait_for"]
CUSTOM_EMOJI = re.compile(r"^<?a?:?(?P<name>[^:<>]+):(?P<id>\d+)>?$")


class FakeDiscord(InteractionsMixin, GatewayMixin):
    """One guild, one bot: REST under `api_base_url`, the gateway at `gateway_url`."""

    def __init__(self, **state: Any) -> None:
        """`app_id`, `bot_id`, `guild_id`, `message_content_allowed`: see FakeState."""
        super().__init__(**state)
        self._init_gateway()
        self._init_rest()
        self._init_interactions()
        c, g = r"/channels/(?P<cid>\d+)", r"/guilds/(?P<gid>\d+)"
        self.route("GET", c, self._get_channel)
        self.route("POST", r"/users/@me/channels", self._open_dm)
        self.route("GET", r"/users/(?P<uid>\d+)", self._get_user)
        self.route("GET", g, self._get_guild)
        self.route("GET", g + "/channels", self._get_guild_channels)
        self.route("GET", g + "/roles", self._get_roles)
        self.route("GET", g + r"/members/(?P<uid>\d+)", self._get_member)
        self.route("GET", g + "/members", self._get_members)
        self._runner: web.AppRunner | None = None
        self.api_base_url = ""
        self.gateway_url = ""

    async def start(self) -> None:
        """Listen on 127.0.0.1 on a free port."""
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", API_PREFIX + "/{tail:.*}", self._handle_api)
        app.router.add_get("/gateway", self._handle_ws)
        app.router.add_get("/attachments/{cid}/{aid}/{name}", self._serve_file)
        self._runner = web.AppRunner(app, handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = self._runner.addresses[0][1]
        self.http_base = f"http://127.0.0.1:{port}"
        self.api_base_url = self.http_base + API_PREFIX
        self.gateway_url = f"ws://127.0.0.1:{port}/gateway"

    async def stop(self) -> None:
        if self._ws is not None and not self._ws.closed:
            with contextlib.suppress(Exception):
                await self._ws.close(code=1001)
        for task in list(self._ws_tasks):
            task.cancel()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def _serve_file(self, request: web.Request) -> web.Response:
        found = self.files_store.get(request.match_info["aid"])
        if found is None:
            return web.Response(status=404, text="Not Found")
        data, ctype = found
        return web.Response(body=data, content_type=ctype.split(";")[0])

    # REST: channels, guild, members
    async def _get_channel(self, rec: Recorded, m: re.Match) -> web.Response:
        channel = self.channel_payload(m["cid"])
        return json_response(channel) if channel else error(404, 10003, "Unknown Channel")

    async def _get_user(self, rec: Recorded, m: re.Match) -> web.Response:
        user = self.users.get(m["uid"])
        return json_response(user) if user else error(404, 10013, "Unknown User")

    async def _open_dm(self, rec: Recorded, m: re.Match) -> web.Response:
        user_id = str((rec.json or {}).get("recipient_id"))
        if user_id not in self.users:
            return error(400, 50035, "Invalid Form Body: recipient_id")
        return json_response(self.channel_payload(self.open_dm(user_id)))

    def _guild_or_none(self, gid: str) -> bool:
        return gid == self.guild_id

    async def _get_guild(self, rec: Recorded, m: re.Match) -> web.Response:
        if not self._guild_or_none(m["gid"]):
            return error(404, 10004, "Unknown Guild")
        counts = {"approximate_member_count": len(self.members), "approximate_presence_count": 0}
        return json_response({**self.guild_payload(), **counts})

    async def _get_guild_channels(self, rec: Recorded, m: re.Match) -> web.Response:
        ids = [cid for cid, c in self.channels.items() if c["type"] not in THREAD_TYPES]
        return json_response([self.channel_payload(cid) for cid in ids])

    async def _get_roles(self, rec: Recorded, m: re.Match) -> web.Response:
        return json_response(list(self.roles.values()))

    async def _get_member(self, rec: Recorded, m: re.Match) -> web.Response:
        if m["uid"] not in self.members:
            return error(404, 10007, "Unknown Member")
        return json_response(self.members[m["uid"]])

    async def _get_members(self, rec: Recorded, m: re.Match) -> web.Response:
        limit = max(1, min(int(rec.query.get("limit", 1)), 1000))
        after = int(rec.query.get("after", 0))
        ids = sorted((u for u in self.members if int(u) > after), key=int)[:limit]
        return json_response([self.members[u] for u in ids])

    # members doing things
    async def post(
        self,
        channel_id: str,
        author_id: str,
        content: str,
        *,
        reply_to: str | None = None,
        attachments: Any = (),
    ) -> str:
        """A member posts (attachments: (filename, bytes, content type)); the message id."""
        files = [self.make_attachment(channel_id, *a) for a in attachments]
        message = self.build_message(
            channel_id, author_id, content, reply_to=reply_to, attachments=files
        )
        self.store_message(message)
        if self.connected:
            await self.dispatch("MESSAGE_CREATE", message)
        return message["id"]

    async def edit(self, channel_id: str, message_id: str, content: str) -> None:
        message = self.find_message(message_id, channel_id)
        if message is None:
            raise KeyError(f"no message {message_id} in {channel_id}")
        message.update(content=content, edited_timestamp=iso())
        self.fill_mentions(message)
        if self.connected:
            await self.dispatch("MESSAGE_UPDATE", message)

    async def delete(self, channel_id: str, message_id: str) -> None:
        await self.remove_message(channel_id, message_id)

    async def react(
        self, channel_id: str, message_id: str, user_id: str, emoji: str, *, remove: bool = False
    ) -> None:
        """A reaction added (or removed) by `user_id`; unicode or `name:id` emoji."""
        message = self.find_message(message_id, channel_id)
        users = self.reaction_users.setdefault((message_id, emoji), [])
        if (user_id in users) != remove:
            return
        if remove:
            users.remove(user_id)
        else:
            users.append(user_id)
        custom = CUSTOM_EMOJI.match(emoji)
        emoji_obj = {"id": custom["id"], "name": custom["name"]} if custom else {"id": None}
        emoji_obj.setdefault("name", emoji)
        if message is not None:
            self._count_reactions(message)
        if not self.connected:
            return
        event: dict[str, Any] = {
            "user_id": user_id, "channel_id": channel_id, "message_id": message_id,
            "emoji": emoji_obj, "burst": False, "type": 0,
        }  # fmt: skip
        if channel_id in self.channels:
            event["guild_id"] = self.guild_id
        if not remove:
            if channel_id in self.channels and user_id in self.members:
                event["member"] = copy.deepcopy(self.members[user_id])
            if message is not None:
                event["message_author_id"] = message["author"]["id"]
            event["burst_colors"] = []
        await self.dispatch("MESSAGE_REACTION_REMOVE" if remove else "MESSAGE_REACTION_ADD", event)

    def _count_reactions(self, message: dict) -> None:
        reactions = []
        for (mid, emoji), users in self.reaction_users.items():
            if mid != message["id"] or not users:
                continue
            custom = CUSTOM_EMOJI.match(emoji)
            reactions.append({
                "count": len(users), "count_details": {"burst": 0, "normal": len(users)},
                "me": self.bot_id in users, "me_burst": False, "burst_colors": [],
                "emoji": {"id": custom["id"], "name": custom["name"]} if custom
                else {"id": None, "name": emoji},
            })  # fmt: skip
        message["reactions"] = reactions

    async def join(self, user_id_or_name: str, *, joined_at: datetime | None = None) -> str:
        """A user (by id) or a new user (by name) joins; the user id."""
        if user_id_or_name in self.users:
            user_id = user_id_or_name
            self.members[user_id] = self._member(user_id, [], joined_at)
        else:
            user_id = self.add_member(user_id_or_name, joined_at=joined_at)
        if self.connected:
            await self.dispatch("GUILD_MEMBER_ADD", self.member_payload(user_id))
        return user_id

    async def leave(self, user_id: str) -> None:
        self.members.pop(user_id, None)
        if self.connected:
            event = {"guild_id": self.guild_id, "user": copy.deepcopy(self.users[user_id])}
            await self.dispatch("GUILD_MEMBER_REMOVE", event)

    async def set_roles(self, user_id: str, roles: Any) -> None:
        self.members[user_id]["roles"] = self._role_ids(roles)
        if self.connected:
            await self.dispatch("GUILD_MEMBER_UPDATE", self.member_payload(user_id))

    async def create_thread(
        self,
        parent_id: str,
        name: str,
        *,
        starter_message_id: str | None = None,
        owner_id: Any = ...,
        content: str | None = None,
    ) -> str:
        """A member opens a thread (on a message) or a forum post (`content`, else `name`)."""
        if owner_id is ...:
            starter = self.find_message(starter_message_id) if starter_message_id else None
            humans = [u for u, m in self.members.items() if not m["user"].get("bot")]
            owner_id = starter["author"]["id"] if starter else (humans or [self.bot_id])[0]
        message = None
        if self.channels[parent_id]["type"] == 15:
            message = self.build_message(parent_id, owner_id, content or name)
        thread = await self.new_thread(
            parent_id, name, owner_id=owner_id, thread_id=starter_message_id, starter=message
        )
        return thread["id"]

    async def new_thread(
        self,
        parent_id: str,
        name: str,
        *,
        owner_id: str,
        thread_id: str | None = None,
        starter: dict | None = None,
        type: int = 11,
    ) -> dict:
        """Make a thread channel (forum: around its starter message) and dispatch it."""
        made = self.add_channel(
            name, type=type if type in THREAD_TYPES else 11, parent_id=parent_id
        )
        thread_id = starter["id"] if starter else (thread_id or made)
        channel = self.channels.pop(made)
        self.messages.pop(made)
        channel.update(self._thread_fields(owner_id), id=thread_id)
        self.channels[thread_id], self.messages[thread_id] = channel, []
        parent_message = self.find_message(thread_id, parent_id)
        if parent_message is not None:
            parent_message["thread"] = channel
            parent_message["flags"] |= 1 << 5  # HAS_THREAD
        if starter is not None:
            starter["channel_id"] = thread_id
            self.store_message(starter)
        if self.connected:
            await self.dispatch("THREAD_CREATE", {**channel, "newly_created": True})
            if starter is not None:
                await self.dispatch("MESSAGE_CREATE", starter)
        return {**channel, **({"message": starter} if starter else {})}
