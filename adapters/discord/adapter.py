"""The Discord adapter: a guild through discord.py, translated to and from the core's shapes."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import TYPE_CHECKING, Any

import aiohttp
import discord

from adapters.discord import history, interactions, lookup, names, startup
from adapters.discord.client import StewardClient
from adapters.discord.command_tree import build_tree
from adapters.discord.endpoints import keep_gateway, point_at
from adapters.discord.inbound import PLATFORM, Translator
from adapters.discord.render import DISCORD
from adapters.discord.sending import Sender
from bot.core.config import Settings
from bot.core.envelope import Destination
from bot.core.errors import StartupError
from bot.core.events import ChannelRef, InboundEvent, MemberRef, RoleRef
from bot.core.manager_notices import ManagerNotices
from bot.core.messages import Message, SentMessage

if TYPE_CHECKING:
    from bot.core.adapter import Core
    from bot.core.commands import CommandSpec

log = logging.getLogger(__name__)

MESSAGE_LINKS = "https://discord.com/channels"  # a message's web link (not api_base_url)
READY_TIMEOUT = 60.0  # seconds to wait for the gateway's READY and the guild at start
CONTENT_NOTICE = (
    "ℹ️ Discord does not give Steward the text of messages (the Message Content intent is "
    "off), so Steward counts messages and runs every command, but cannot detect questions in "
    "help channels. Fix: Developer Portal → your application → Bot → Privileged Gateway "
    "Intents → turn on Message Content Intent, then restart Steward."
)


def _content_allowed(client: discord.Client) -> bool:
    """Whether the application's settings allow the Message Content intent (unknown: yes)."""
    application = client.application
    if application is None:
        return True
    flags = application.flags
    return flags.gateway_message_content or flags.gateway_message_content_limited


class DiscordAdapter:
    """One guild: events in as neutral events, neutral messages out as Discord messages."""

    platform = PLATFORM
    capabilities = DISCORD

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.config = settings.discord
        self.admin_channel = self.config.admin_channel  # an id once the guild is known
        self.digest_channel = self.config.digest_channel  # likewise ("": none configured)
        self.translator = Translator()
        self.app: Core | None = None
        self.guild: discord.Guild | None = None
        self.message_content = True
        self.client = StewardClient(self, message_content=True)
        self.sender = Sender(self)
        self._known = asyncio.Event()  # set while the guild's names are resolved (or failed)
        self.settled = asyncio.Event()  # commands, checks and catch-up are done
        self._failure: Exception | None = None
        self._connecting: asyncio.Task | None = None
        self._synced = False
        self.notices = ManagerNotices(PLATFORM, "Discord")

    # ---- adapter protocol ---------------------------------------------------------------
    async def start(self, app: Core) -> None:
        """Log in, connect, and wait for the guild; syncing commands, checking channels and
        catching up on what was missed go on in the background (`settled` when done)."""
        self.app = app
        point_at(self.config.api_base_url, self.config.gateway_url)
        await self._login()
        self._connecting = asyncio.create_task(self._connect(), name="discord gateway")
        ready = asyncio.create_task(self._known.wait())
        done, _ = await asyncio.wait(
            {ready, self._connecting}, timeout=READY_TIMEOUT, return_when=asyncio.FIRST_COMPLETED
        )
        if ready not in done:
            ready.cancel()
            if self._connecting in done:
                self._connecting.result()  # raises what stopped the connection
            raise StartupError("Discord: no READY from the gateway within a minute")
        if self._failure is not None:
            raise self._failure

    async def serve(self) -> None:
        """Run until the connection ends (stop, or a failure that cannot be retried)."""
        if self._connecting is not None:
            await self._connecting

    async def stop(self) -> None:
        await self.client.close()
        if self._connecting is not None:
            self._connecting.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._connecting

    async def send(self, to: Destination, message: Message) -> SentMessage:
        return await self.sender.send(to, message)

    async def update(self, sent: SentMessage, message: Message) -> None:
        await self.sender.update(sent, message)

    def message_link(
        self, channel_id: str, message_id: str, thread_id: str | None = None
    ) -> str | None:
        """The message's link (in a thread, the thread is its channel); None before the guild
        is known."""
        guild_id = self.guild.id if self.guild is not None else self.config.guild_id
        if not guild_id:
            return None
        return f"{MESSAGE_LINKS}/{guild_id}/{thread_id or channel_id}/{message_id}"

    async def find_channel(self, name: str) -> ChannelRef | None:
        channel = lookup.channel(self.require_guild(), name)
        return self.translator.channel(channel) if channel is not None else None

    async def channel_names(self) -> list[str]:
        return [c.name for c in self.require_guild().text_channels]

    async def find_member(self, name_or_id: str) -> MemberRef | None:
        member = await lookup.member(self.require_guild(), name_or_id)
        return self.translator.member(member) if member is not None else None

    async def find_role(self, name_or_id: str) -> RoleRef | None:
        role = lookup.role(self.require_guild(), name_or_id)
        return self.translator.role(role) if role is not None else None

    async def role_names(self) -> list[str]:
        return [r.name for r in self.require_guild().roles if not r.is_default()]

    # ---- connecting ---------------------------------------------------------------------
    async def _login(self) -> None:
        """Log in; when the application's settings leave Message Content off, Steward asks
        Discord for it no more (Discord would refuse the connection)."""
        await self._log_in()
        if self.message_content and not _content_allowed(self.client):
            log.warning("Discord: the Message Content intent is off for this application")
            await self._without_content()

    async def _log_in(self) -> None:
        try:
            await self.client.login(self.config.token.get_secret_value())
        except discord.LoginFailure:
            raise StartupError(
                "Discord refused the bot token ([discord] token or DISCORD_TOKEN): copy it "
                "again from the Developer Portal → your application → Bot → Reset Token"
            ) from None
        except (aiohttp.ClientError, OSError, discord.HTTPException) as exc:
            raise StartupError(
                f"Discord: cannot reach {self.config.api_base_url} ({exc}); check the network "
                "or [discord] api_base_url"
            ) from None

    async def _without_content(self) -> None:
        """A new client that does not ask for message content (intents are fixed per client)."""
        await self.client.close()
        self.message_content = False
        self.client = StewardClient(self, message_content=False)
        self._synced = False
        await self._log_in()

    async def _connect(self) -> None:
        """Connect. Message Content is asked for only when the application allows it (see
        `_login`), so a refused privileged intent is Server Members, which Steward needs."""
        try:
            await self.client.connect(reconnect=True)
        except discord.PrivilegedIntentsRequired:
            raise StartupError(
                "Discord refused the Server Members intent: Developer Portal → your "
                "application → Bot → Privileged Gateway Intents → turn on Server Members "
                "Intent, then restart Steward"
            ) from None
        except discord.ConnectionClosed as exc:  # one Discord does not let discord.py retry
            raise StartupError(
                f"Discord closed the gateway connection for good (code {exc.code}: "
                f"{exc.reason or 'no reason given'})"
            ) from None

    def connected(self) -> None:
        """The gateway said READY: resume through the configured gateway later."""
        keep_gateway(self.client, self.config.gateway_url)

    async def ready(self) -> None:
        """A new session: take events in once names are resolved, then settle in."""
        try:
            points, notices = await self._take_in()
        except Exception as exc:
            log.exception("Discord: getting ready failed")
            self._failure = exc
            return
        finally:
            self._known.set()
        try:
            await self._settle_in(points, notices)
        except Exception:
            log.exception("Discord: settling in failed")
        finally:
            self.settled.set()

    async def _take_in(self) -> tuple[dict[int, str], list[tuple[str, str]]]:
        """The guild, names to ids, the command tree, and where each channel's catch-up
        starts: all a live event needs. Events wait until this is done."""
        self._known.clear()
        self.guild = self._find_guild()
        notices = await self._resolve_names()
        if not self._synced:
            build_tree(self.client.tree, self.require_app().registry, self._run_command)
        return await history.starting_points(self), notices

    async def _settle_in(self, points: dict[int, str], notices: list[tuple[str, str]]) -> None:
        """Once per start the commands and the channel checks; every session the catch-up."""
        for key, text in notices:
            await self.tell_once(key, text)
        if not self._synced:
            self._synced = True
            await startup.sync_commands(self)
            await startup.check_channels(self)
            if not self.message_content:
                await self.tell_once("intent:message_content", CONTENT_NOTICE)
        added = await history.catch_up(self, points)
        if added:
            log.info("Discord: recorded %d messages posted while Steward was away", added)
        guild = self.require_guild()
        log.info("Discord: ready in %s (%d members)", guild.name, guild.member_count or 0)

    def _find_guild(self) -> discord.Guild:
        if self.config.guild_id:
            guild = self.client.get_guild(int(self.config.guild_id))
            if guild is None:
                raise StartupError(
                    f"Discord: the bot is not in guild {self.config.guild_id} ([discord] "
                    "guild_id); invite it with the URL in the README"
                )
            return guild
        if not self.client.guilds:
            raise StartupError("Discord: the bot is in no guild yet; invite it first")
        return self.client.guilds[0]

    async def _resolve_names(self) -> list[tuple[str, str]]:
        """Manager role, managers' and digest channels to ids (looked up again at every new
        session; after a rename the id found before still serves); notices about renames."""
        app, guild, config = self.require_app(), self.require_guild(), self.config
        notices: list[tuple[str, str]] = []
        role = await names.resolve(app, guild, "manager_role", config.manager_role, notices)
        if role is not None:
            self.translator.manager_role_id = str(role.id)
        else:
            log.warning("Discord: no role %r ([discord] manager_role)", config.manager_role)
        channel = await names.resolve(app, guild, "admin_channel", config.admin_channel, notices)
        if channel is not None:
            self.admin_channel = self.translator.admin_channel_id = str(channel.id)
        if config.digest_channel:
            digest = await names.resolve(
                app, guild, "digest_channel", config.digest_channel, notices
            )
            self.digest_channel = str(digest.id) if digest is not None else config.digest_channel
        return notices

    async def tell_once(self, key: str, text: str, every_start: bool = False) -> None:
        """Log `text` and tell the managers' channel once for `key`: ever (a setting they
        changed), or once per start (`every_start`: a problem they may have fixed since)."""
        await self.notices.tell(self.require_app(), key, text, every_start)

    # ---- inbound ------------------------------------------------------------------------
    async def accept(self, guild_id: int | None) -> bool:
        """Whether an event is from the configured guild (the first one when none is
        configured); it waits while the guild's names are being resolved (for moments after
        a new session starts), so every event is translated with the managers known."""
        if guild_id is None:
            return False
        await self._known.wait()
        if self.config.guild_id:
            return str(guild_id) == self.config.guild_id
        return self.guild is not None and guild_id == self.guild.id

    async def handle(self, event: InboundEvent | None, responder: Any = None) -> None:
        if event is not None:
            await self.require_app().deliver(event, responder)

    async def message(self, message: discord.Message) -> None:
        if not await self.accept(message.guild.id if message.guild else None):
            return
        if self.is_me(message.author.id):
            return  # the bot's own posts are known from sending them
        await self.handle(self.translator.message(message))

    async def edited(self, payload: discord.RawMessageUpdateEvent) -> None:
        message = payload.message
        if not await self.accept(payload.guild_id) or self.is_me(message.author.id):
            return
        cached = payload.cached_message
        if cached is not None and cached.content == message.content:
            return  # an embed unfolded: not an edit of the text
        await self.handle(self.translator.edited(message))

    async def deleted(self, payload: discord.RawMessageDeleteEvent) -> None:
        if await self.accept(payload.guild_id):
            await self._deleted(payload.message_id, payload.channel_id, payload.cached_message)

    async def bulk_deleted(self, payload: discord.RawBulkMessageDeleteEvent) -> None:
        """A moderator's purge: each message deleted."""
        if not await self.accept(payload.guild_id):
            return
        cached = {m.id: m for m in payload.cached_messages}
        for message_id in sorted(payload.message_ids):
            await self._deleted(message_id, payload.channel_id, cached.get(message_id))

    async def _deleted(self, message_id: int, channel_id: int, cached: Any) -> None:
        """A deletion, by its author as cached or as recorded (an unrecorded message, or the
        bot's own, is nothing to count)."""
        if cached is not None:
            author: MemberRef | None = self.translator.member(cached.author)
        else:
            author = await self.require_app().author_of(PLATFORM, str(message_id))
        if author is None or self.is_me(author.user_id):
            return
        guild = self.require_guild()
        channel = guild.get_channel_or_thread(channel_id) or discord.Object(channel_id)
        await self.handle(self.translator.deleted(message_id, author, channel, self._now()))

    async def thread(self, thread: discord.Thread) -> None:
        if await self.accept(thread.guild.id):
            await self.handle(self.translator.thread(thread, self._now()))

    async def reaction(self, payload: discord.RawReactionActionEvent) -> None:
        if not await self.accept(payload.guild_id) or self.is_me(payload.user_id):
            return
        guild = self.require_guild()
        user = payload.member or guild.get_member(payload.user_id)
        if user is None:
            user = await lookup.member(guild, str(payload.user_id))
        channel = guild.get_channel_or_thread(payload.channel_id) or discord.Object(
            payload.channel_id
        )
        await self.handle(self.translator.reaction(payload, user, channel, self._now()))

    async def joined(self, member: discord.Member) -> None:
        if await self.accept(member.guild.id):
            where = self._welcome_channel(member.guild)
            await self.handle(self.translator.joined(member, where, self._now()))

    async def left(self, payload: discord.RawMemberRemoveEvent) -> None:
        if await self.accept(payload.guild_id):
            where = self._welcome_channel(self.require_guild())
            await self.handle(self.translator.left(payload.user, where, self._now()))

    @staticmethod
    def _welcome_channel(guild: discord.Guild) -> Any:
        return guild.system_channel or (guild.text_channels[0] if guild.text_channels else guild)

    async def interaction(self, interaction: discord.Interaction) -> None:
        await interactions.on_interaction(self, interaction)

    async def _run_command(
        self, interaction: discord.Interaction, spec: CommandSpec, options: dict[str, Any]
    ) -> None:
        await interactions.run_command(self, interaction, spec, options)

    async def on_command_error(
        self, interaction: discord.Interaction, error: discord.app_commands.AppCommandError
    ) -> None:
        await interactions.on_command_error(interaction, error)

    # ---- helpers ------------------------------------------------------------------------
    def is_me(self, user_id: int | str) -> bool:
        """Whether `user_id` is Steward's own bot user."""
        me = self.client.user
        return me is not None and str(user_id) == str(me.id)

    def require_guild(self) -> discord.Guild:
        if self.guild is None:
            raise RuntimeError("the Discord adapter is not connected to its guild yet")
        return self.guild

    def _now(self):
        return self.require_app().clock.now()

    def require_app(self) -> Core:
        if self.app is None:
            raise RuntimeError("the Discord adapter is not started")
        return self.app
