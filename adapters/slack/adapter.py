"""The Slack adapter: a workspace through slack-bolt (async), translated to and from the
core's shapes, over HTTP or Socket Mode."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import aiohttp
from slack_bolt.async_app import AsyncApp
from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack import health, history, listeners, names, startup
from adapters.slack.directory import Directory
from adapters.slack.files import FileUnreadable, download
from adapters.slack.inbound import PLATFORM, Translator, unescape
from adapters.slack.render import SLACK
from adapters.slack.sending import PostOnceRetries, Sender
from adapters.slack.slash import file_command, first_words, renamer, to_command
from adapters.slack.transport import HttpEndpoint, SocketConnection
from bot.core.config import Settings
from bot.core.envelope import Destination
from bot.core.events import ChannelRef, InboundEvent, MemberRef, RoleRef
from bot.core.manager_notices import ManagerNotices
from bot.core.messages import Message, SentMessage

if TYPE_CHECKING:
    from adapters.slack.responder import SlackResponder
    from bot.core.adapter import Core

log = logging.getLogger(__name__)


class SlackAdapter:
    """One workspace: events in as neutral events, neutral messages out as Block Kit."""

    platform = PLATFORM
    capabilities = SLACK

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.config = settings.slack
        self.admin_channel = self.config.admin_channel  # an id once the workspace is known
        self.digest_channel = self.config.digest_channel
        # one client for Steward and bolt (bolt copies its `session` into each request's
        # client); its aiohttp session is opened in start(), in the running loop
        self.client = AsyncWebClient(
            token=self.config.bot_token.get_secret_value(),
            base_url=self.config.api_base_url.rstrip("/") + "/",  # slack_sdk joins names on
            retry_handlers=[  # no blind retry of a post that may be out: see PostOnceRetries
                PostOnceRetries(),
                AsyncRateLimitErrorRetryHandler(max_retry_count=3),
            ],
        )
        self.directory = Directory(self.client)
        self.translator = Translator(self.directory)
        self.sender = Sender(self)
        self.bolt = self._bolt()
        listeners.register(self.bolt, self)
        self.transport: HttpEndpoint | SocketConnection | None = None
        self.app: Core | None = None
        self.bot_user_id = self.bot_id = ""
        self.workspace_url = ""  # https://WORKSPACE.slack.com/, from auth.test at start
        self.settled = asyncio.Event()  # the start's checks and catch-up are done
        self._stopped = asyncio.Event()
        self._settling: asyncio.Task | None = None
        self.group_members: set[str] = set()  # of the manager group
        self.notices = ManagerNotices(PLATFORM, "Slack")
        self.lacking_scopes: set[str] = set()  # found at start (told then, not again)
        # a message naming commands as this workspace types them ([slack] command_prefix)
        self.named: Callable[[Message], Message] = lambda message: message  # set in start()

    def _bolt(self) -> AsyncApp:
        socket = self.config.mode == "socket"
        return AsyncApp(
            client=self.client,
            signing_secret=self.config.signing_secret.get_secret_value() or None,
            request_verification_enabled=not socket,
            logger=logging.getLogger("adapters.slack.bolt"),
        )

    # ---- adapter protocol ---------------------------------------------------------------
    async def start(self, app: Core) -> None:
        """Check the token, learn the workspace (channels, people, the managers), open the
        way in; the start's checks and the history catch-up go on in the background."""
        self.app = app
        self.translator.now = app.clock.now
        self.named = renamer(first_words(app.registry), self.config.command_prefix)
        # one session for every Web API call (slack_sdk opens one a call without it)
        timeout = aiohttp.ClientTimeout(total=self.client.timeout)
        self.client.session = aiohttp.ClientSession(timeout=timeout)
        scopes = await startup.log_in(self)
        await startup.learn(self)
        points = await history.starting_points(self)
        self.transport = self._transport()
        await startup.open_transport(self, self.transport)
        self._settling = asyncio.create_task(self._settle_in(points, scopes), name="slack start")

    def _transport(self) -> HttpEndpoint | SocketConnection:
        if self.config.mode == "socket":
            return SocketConnection(self.bolt, self.config.app_token.get_secret_value())
        return HttpEndpoint(self.bolt, self.config.port)

    async def serve(self) -> None:
        """Run until stopped."""
        await self._stopped.wait()

    async def stop(self) -> None:
        if self._settling is not None and not self._settling.done():
            self._settling.cancel()
            await asyncio.wait([self._settling])  # its end, not its CancelledError
        try:
            if self.transport is not None:
                await self.transport.stop()
        finally:
            if self.client.session is not None:
                await self.client.session.close()
            self._stopped.set()

    async def send(self, to: Destination, message: Message) -> SentMessage:
        return await self.sender.send(to, self.named(message))

    async def update(self, sent: SentMessage, message: Message) -> None:
        await self.sender.update(sent, self.named(message))

    def message_link(
        self, channel_id: str, message_id: str, thread_id: str | None = None
    ) -> str | None:
        """The message's permalink, as chat.getPermalink gives it but without asking Slack
        (`message_id` is its `ts`; a reply names its thread); None before auth.test."""
        if not self.workspace_url:
            return None
        base = self.workspace_url.rstrip("/")
        link = f"{base}/archives/{channel_id}/p{message_id.replace('.', '')}"
        if thread_id and thread_id != message_id:
            link += f"?thread_ts={thread_id}&cid={channel_id}"
        return link

    async def find_channel(self, name: str) -> ChannelRef | None:
        place = self.directory.find_place(name) or await self.directory.fetch_place(name.strip())
        return self.translator.channel(place.channel_id) if place is not None else None

    async def channel_names(self) -> list[str]:
        return sorted(p.name for p in self.directory.places.values() if p.is_member)

    async def find_member(self, name_or_id: str) -> MemberRef | None:
        """A member by id or name; an id not known yet is asked of Slack (a name never is)."""
        person = self.directory.find_person(name_or_id)
        if person is None:
            person = await self.directory.fetch_person(name_or_id.strip())
        return self.translator.member(person.user_id) if person is not None else None

    async def find_role(self, name_or_id: str) -> RoleRef | None:
        group = self.directory.find_group(name_or_id)
        return (
            RoleRef(PLATFORM, group["id"], group.get("handle") or group["name"]) if group else None
        )

    async def role_names(self) -> list[str]:
        return sorted(g.get("handle") or g["name"] for g in self.directory.groups.values())

    # ---- starting -----------------------------------------------------------------------
    async def _settle_in(self, points: dict[str, str], scopes: set[str] | None) -> None:
        try:
            await health.check_start(self, scopes)
            added = await history.catch_up(self, points)
            if added:
                log.info("Slack: recorded %d messages posted while Steward was away", added)
            log.info(
                "Slack: ready (%d channels, %d people)",
                len(self.directory.places),
                len(self.directory.people),
            )
        except Exception:
            log.exception("Slack: settling in failed")
        finally:
            self.settled.set()

    async def tell_once(self, key: str, text: str, every_start: bool = False) -> None:
        """Log `text` and tell the managers' channel once for `key`: ever (a setting they
        changed), or once per start (`every_start`: a problem they may have fixed since)."""
        await self.notices.tell(self.require_app(), key, text, every_start)

    # ---- inbound ------------------------------------------------------------------------
    async def handle(self, event: InboundEvent | None, responder: Any = None) -> None:
        if event is not None:
            await self.require_app().deliver(event, responder)

    async def message(self, event: dict[str, Any]) -> None:
        if self.is_me(event) or self.is_me(event.get("message") or {}):
            return
        if event.get("subtype") == "file_share" and await self._file_command(event):
            return
        message = event.get("message") or event.get("previous_message") or event
        await self.directory.learn(message.get("user"), message.get("parent_user_id"))
        await self.handle(self.translator.message(event))

    async def _file_command(self, event: dict[str, Any]) -> bool:
        """A file shared in the managers' channel with a command as its text (`import`)."""
        if event.get("channel") != self.admin_channel:
            return False
        found = file_command(self.require_app().registry, unescape(event.get("text") or ""))
        if found is None:
            return False
        try:
            files = tuple([await download(self, f) for f in event.get("files") or []])
        except FileUnreadable as exc:  # its text is short; the full error is its cause
            log.warning("Slack: could not read a shared file: %s", exc.__cause__ or exc)
            text = (
                f"Steward could not read that file ({exc}). Share it again; if it persists, "
                "the app may lack the files:read scope."
            )
            await self.sender.ephemeral((event["channel"], None), event["user"], Message(text=text))
            return True
        await self.handle(self.translator.file_command(event, found[0], found[1], files))
        return True

    async def reaction(self, event: dict[str, Any], added: bool) -> None:
        if event.get("user") != self.bot_user_id:
            await self.directory.learn(event.get("user"), event.get("item_user"))
            await self.handle(self.translator.reaction(event, added))

    async def channel_join(self, event: dict[str, Any], joined: bool) -> None:
        if event.get("user") == self.bot_user_id:
            await self.directory_changed(event)
            return
        await self.directory.learn(event.get("user"))
        await self.handle(self.translator.channel_join(event, joined))

    async def team_join(self, event: dict[str, Any]) -> None:
        general = self.directory.general()
        where = self.translator.channel(general.channel_id if general else self.admin_channel)
        await self.handle(self.translator.team_join(event, where))

    async def directory_changed(self, event: dict[str, Any]) -> None:
        """A channel created or renamed, Steward invited somewhere, a member's new name. A
        channel learnt of may be a configured one: those are looked up again."""
        if isinstance(event.get("user"), dict):
            self.directory.remember_person(event["user"])
        channel = event.get("channel")
        if isinstance(channel, dict):
            channel = channel["id"]
        if isinstance(channel, str):
            await self.directory.refresh_place(channel)
            await names.resolve(self)

    async def group_changed(self, event: dict[str, Any]) -> None:
        """The manager group's members changed."""
        if event.get("subteam_id") != self.translator.manager_group_id:
            return
        added, removed = set(event.get("added_users") or []), set(event.get("removed_users") or [])
        self.set_group_members((self.group_members | added) - removed)

    def set_group_members(self, members: set[str]) -> None:
        """The manager group's members: managers with `[slack] managers`."""
        self.group_members = members
        self.translator.managers = set(self.config.managers) | members

    async def command(self, body: dict[str, Any], responder: SlackResponder) -> None:
        text = unescape(body.get("text") or "")
        name, text = to_command(body["command"], text, self.config.command_prefix)
        await self.handle(self.translator.command(body, name, text, self._now()), responder)

    async def click(self, body: dict[str, Any], responder: SlackResponder) -> None:
        await self.handle(self.translator.button(body, self._now()), responder)

    async def submit(self, body: dict[str, Any], responder: SlackResponder) -> None:
        await self.handle(self.translator.form(body, self._now()), responder)

    # ---- helpers ------------------------------------------------------------------------
    def is_me(self, message: dict[str, Any]) -> bool:
        """Whether a message is Steward's own post."""
        return bool(message) and (
            (bool(self.bot_user_id) and message.get("user") == self.bot_user_id)
            or (bool(self.bot_id) and message.get("bot_id") == self.bot_id)
        )

    def _now(self):
        return self.require_app().clock.now()

    def require_app(self) -> Core:
        if self.app is None:
            raise RuntimeError("the Slack adapter is not started")
        return self.app
