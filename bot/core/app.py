"""The core: takes neutral events from adapters, records them, routes them to features."""

from __future__ import annotations

import logging
import secrets
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import replace
from typing import Any

from bot.core import history
from bot.core import interaction as interactions
from bot.core.adapter import Adapter
from bot.core.capabilities import Capabilities
from bot.core.clock import Clock
from bot.core.commands import CommandRegistry, CommandSpec, may_run
from bot.core.config import Settings
from bot.core.context import CommandContext, EventContext
from bot.core.delivery import Deliveries
from bot.core.directory import Directory
from bot.core.due import JobBoard
from bot.core.envelope import Destination
from bot.core.errors import UsageError
from bot.core.events import (
    ButtonPressed,
    CommandInvoked,
    FormSubmitted,
    InboundEvent,
    MemberRef,
)
from bot.core.fitting import fit_form, fit_one, respond_fitted, send_fitted
from bot.core.history_listeners import HistoryListeners
from bot.core.interaction import Interaction, Responder
from bot.core.interaction_log import InteractionLog
from bot.core.message_updates import CoalescedUpdates
from bot.core.messages import Form, Message, SentMessage
from bot.core.option_refs import resolve_refs
from bot.core.outbox import Outbox
from bot.core.outbox_store import notice
from bot.core.platform_state import keep, recall
from bot.core.posts import Settle, remember_settled
from bot.core.privacy import PrivacyRegistry
from bot.store.database import Store

log = logging.getLogger(__name__)

EventHandler = Callable[[EventContext], Awaitable[None]]
ChannelSource = Callable[[str], Awaitable[Iterable[str]]]
_ANSWERED = (CommandInvoked, ButtonPressed, FormSubmitted)  # handled as they come, not queued
_REFUSALS_REMEMBERED = 1000  # a platform's retry of a refused command is not answered twice


class Steward:
    """The bot core. Features install commands, button/form routes, listeners and jobs on it."""

    def __init__(
        self,
        settings: Settings,
        store: Store,
        clock: Clock,
        jobs: JobBoard,
        registry: CommandRegistry | None = None,
    ) -> None:
        self.settings = settings
        self.store = store
        self.clock = clock
        self.registry = registry or CommandRegistry()
        self.directory = Directory()
        self.interactions = InteractionLog(
            store, self.directory, store_text=settings.privacy.store_message_text
        )
        self.deliveries = Deliveries(self.interactions, self._dispatch, self._apologise)
        self.jobs = jobs
        self.updates = CoalescedUpdates(clock, self.update, self.work_added)
        self.privacy = PrivacyRegistry()
        self.jobs.add(self.updates)
        self.outbox = Outbox(self)
        self.jobs.add(self.outbox)
        self.adapters: dict[str, Adapter] = {}
        self._buttons: dict[str, EventHandler] = {}
        self._form_openers: set[str] = set()
        self._forms: dict[str, EventHandler] = {}
        self._listeners: list[EventHandler] = []
        self._history = HistoryListeners()
        self._channel_sources: list[ChannelSource] = []
        self._refused: OrderedDict[str, None] = OrderedDict()  # event ids already refused
        self.on_work_added: Callable[[], Awaitable[None]] | None = None

    # ---- wiring -------------------------------------------------------------------------
    def add_adapter(self, adapter: Adapter) -> None:
        self.adapters[adapter.platform] = adapter

    def on_button(self, prefix: str, handler: EventHandler, opens_form: bool = False) -> None:
        """Route button presses whose action id starts with `prefix:` to `handler`.

        `opens_form`: the handler may answer with a form, which must be its first response,
        before any write; the press is then recorded after the handler has answered.
        """
        self._buttons[prefix] = handler
        if opens_form:
            self._form_openers.add(prefix)

    def on_form(self, prefix: str, handler: EventHandler) -> None:
        """Route form submissions whose form id starts with `prefix:` to `handler`."""
        self._forms[prefix] = handler

    def uses_channels(self, source: ChannelSource) -> None:
        """`source(platform)` names channel ids a feature will post in (scheduled posts, say),
        so an adapter can check at start that it may post there."""
        self._channel_sources.append(source)

    async def channels_in_use(self, platform: str) -> set[str]:
        """Every channel id on `platform` that a feature has work for."""
        found: set[str] = set()
        for source in self._channel_sources:
            found.update(await source(platform))
        return found

    def listen(
        self, handler: EventHandler, history: bool = False, history_in: ChannelSource | None = None
    ) -> None:
        """Call `handler` for every new event (after it is recorded); with `history`, also
        for the new events fetched after downtime or imported, in the order they come.
        `history_in(platform)`: the channels whose history it needs (None: every channel),
        so an import keeps no other events for it."""
        self._listeners.append(handler)
        if history:
            self._history.add(handler, history_in)

    async def start(self) -> None:
        self.interactions.start()
        for adapter in self.adapters.values():
            await adapter.start(self)

    async def stop(self) -> None:
        for adapter in self.adapters.values():
            await adapter.stop()
        await self.interactions.stop()
        await self.deliveries.settled()  # the events delivered before: acted on

    async def work_added(self) -> None:
        """Tell the scheduler that new due work exists (a post scheduled, a poll opened)."""
        self.jobs.work_added()
        if self.on_work_added is not None:
            await self.on_work_added()

    # ---- inbound ------------------------------------------------------------------------
    async def handle(self, event: InboundEvent, responder: Responder | None = None) -> None:
        """Record `event` once, then act on it; a repeated platform event id is ignored.

        A command is checked first (known, allowed here, valid options): a refused one gets a
        private reply saying why, and nothing is stored. An interaction (`responder` given)
        is acknowledged in time: deferred if the handler is still busy near the deadline,
        and silently acknowledged if the handler said nothing.
        """
        if responder is None:
            await self._handle(event)
            return
        interaction = Interaction(event, responder, self.capabilities(event.platform).ack_seconds)
        token = interactions.current.set(interaction)
        try:
            await self._handle(event)
        finally:
            interactions.current.reset(token)
            try:
                await interaction.close()
            except Exception:
                log.exception("could not acknowledge %s", event.kind.value)

    async def deliver(self, event: InboundEvent, responder: Responder | None = None) -> None:
        """What an adapter calls. An event that needs no answer (a gateway's message, reaction,
        join) is queued: recorded and acted on in arrival order, in batches, without waiting.
        An interaction (`responder`), a command or a click is handled and answered (`handle`)."""
        if responder is None and not isinstance(event, _ANSWERED):
            await self.deliveries.deliver(event)
        else:
            await self.handle(event, responder)

    async def _handle(self, event: InboundEvent) -> None:
        command = None
        try:
            if isinstance(event, CommandInvoked):
                event, command = await self._prepare(event)
            if self._opens_form(event):  # the form is the first response: record after it
                try:
                    await self._dispatch(event, command)
                finally:
                    await self.interactions.record(event)
                return
            if not await self.interactions.record(event):
                log.debug("ignoring repeated event %s", event.event_id)
                return
            await self._dispatch(event, command)
        except UsageError as exc:
            await self._refuse(event, exc)
        except Exception:
            await self._apologise(event)

    async def _dispatch(self, event: InboundEvent, command: CommandContext | None) -> None:
        context = EventContext(self, event)
        if command is not None:
            await self._run_command(command)
        elif isinstance(event, ButtonPressed):
            await self._route(self._buttons, event.action_id, context, "button")
        elif isinstance(event, FormSubmitted):
            await self._route(self._forms, event.form_id, context, "form")
        for listener in self._listeners:
            await listener(context)

    def _opens_form(self, event: InboundEvent) -> bool:
        return isinstance(event, ButtonPressed) and (
            event.action_id.split(":", 1)[0] in self._form_openers
        )

    async def _refuse(self, event: InboundEvent, exc: UsageError) -> None:
        """Tell the member why a command cannot run (once per platform event id)."""
        if event.event_id in self._refused:
            return
        self._refused[event.event_id] = None
        if len(self._refused) > _REFUSALS_REMEMBERED:
            self._refused.popitem(last=False)
        await self.reply_private(event, Message(text=exc.render()), refusal=True)

    async def _apologise(self, event: InboundEvent) -> None:
        ref = secrets.token_hex(3)
        log.exception("failed handling %s (ref %s)", event.kind.value, ref)
        await self._safe_private(
            event,
            "Sorry, something went wrong on our side and nothing was changed. "
            f"A manager can find the details in the bot's log under ref {ref}.",
        )

    async def _route(
        self, routes: dict[str, EventHandler], action: str, context: EventContext, what: str
    ) -> None:
        handler = routes.get(action.split(":", 1)[0])
        if handler is None:
            raise UsageError(f"That {what} is no longer active.")
        await handler(context)

    async def _prepare(self, event: CommandInvoked) -> tuple[CommandInvoked, CommandContext]:
        """The command `event` names, allowed here, with checked options; or UsageError.

        A channel, user or role option written as text is looked up on the event's platform.
        """
        if event.options is None:
            event = self.registry.name_command(event)
        spec, raw = self._resolve(event)
        refusal = may_run(spec, event.member.is_manager, event.channel.is_admin)
        if refusal:
            raise UsageError(refusal, spec.usage())
        adapter = self.adapters.get(event.platform)
        options = await resolve_refs(adapter, spec, spec.bind(raw))
        return event, CommandContext(self, event, spec=spec, options=options)

    async def _run_command(self, command: CommandContext) -> None:
        assert command.spec is not None
        await command.spec.handler(command)

    def _resolve(self, event: CommandInvoked) -> tuple[CommandSpec, dict[str, object]]:
        if event.options is not None:
            spec = self.registry.get(event.name)
            if spec is None:
                self.registry.refuse_unknown(event.name.split())
            return spec, dict(event.options)
        return self.registry.resolve_text(f"{event.name} {event.text}")

    # ---- outbound -----------------------------------------------------------------------
    def adapter(self, platform: str) -> Adapter:
        try:
            return self.adapters[platform]
        except KeyError:
            raise RuntimeError(f"no {platform} adapter is running") from None

    async def send(
        self,
        platform: str,
        channel_id: str,
        message: Message,
        *,
        feature: str = "",
        ref_id: int | None = None,
        content_type: str | None = None,
        thread_id: str | None = None,
        reply_to: str | None = None,
        role: str = "",
        settle: Settle | None = None,
    ) -> SentMessage:
        """Post a message and remember it (BotMessage: what `feature`'s `ref_id` it is, in
        which `role`), so it can be edited and reactions and replies linked back.

        `settle(session, row)` runs in the same transaction as remembering (the outbox marks
        its item sent there, so a post is never remembered without its item settled).
        """
        where = Destination(platform, channel_id, thread_id=thread_id, reply_to=reply_to)
        sent = await send_fitted(self.adapter(platform), where, message)  # the last part
        record = {"feature": feature, "ref_id": ref_id, "role": role, "content_type": content_type}
        await self.store.run(remember_settled, sent, record, self.clock.now(), settle)
        return sent

    async def update(self, sent: SentMessage, message: Message) -> None:
        """Replace a posted message's content. An edit cannot split: the content is fitted to
        one message, its text cut with "…" as the last resort (bot.core.fitting.fit_one)."""
        adapter = self.adapter(sent.platform)
        await adapter.update(sent, fit_one(message, adapter.capabilities))

    def capabilities(self, platform: str) -> Capabilities:
        """What `platform` allows: message length, buttons, form sizes, markup, deadline."""
        return self.adapter(platform).capabilities

    def message_link(
        self, platform: str, channel_id: str, message_id: str, thread_id: str | None = None
    ) -> str | None:
        """Where a member finds a message on `platform`: a URL, or what the console shows;
        None when the adapter cannot link (it has no optional `message_link`, or cannot tell).
        `thread_id`: the thread the message is in, as its event's channel says."""
        link = getattr(self.adapters.get(platform), "message_link", None)
        return link(channel_id, message_id, thread_id) if link is not None else None

    async def reply_private(
        self, event: InboundEvent, message: Message, *, refusal: bool = False
    ) -> None:
        """Tell the member behind `event` only: through its interaction, or privately
        (`refusal`: why what they sent was not taken, which a form may show over itself)."""
        interaction = interactions.for_event(event)
        if interaction is not None:
            caps = self.capabilities(event.platform)
            await respond_fitted(interaction, message, caps, refusal=refusal)
            return
        where = Destination(event.platform, event.channel.channel_id, event.channel.thread_id)
        private = where.privately(event.member.user_id)
        await send_fitted(self.adapter(event.platform), private, message)

    async def open_form(self, event: InboundEvent, form: Form) -> None:
        """Open `form` as the first response to the interaction behind `event`."""
        interaction = interactions.for_event(event)
        if interaction is None:
            raise interactions.FormTooLate(f"no interaction to open form {form.form_id!r} on")
        await interaction.open_form(fit_form(form, self.capabilities(event.platform)))

    async def notify_managers(self, message: Message, **record: Any) -> list[SentMessage]:
        """Tell the managers' channel on every platform, through the outbox: sent now when the
        platform takes it (returned), else retried and never lost (see bot.core.outbox)."""
        return await self.outbox.notify_managers(message, **record)

    # ---- for adapters -------------------------------------------------------------------
    async def record_history(self, events: Sequence[InboundEvent]) -> int:
        """Record events an adapter fetched after downtime; the number that were new (one
        already recorded, by platform event id, is skipped). Commands and clicks in them are
        not run again; listeners that asked for history see the new ones (`listen`)."""
        fresh = await self.interactions.record_many(events, history=True)
        await self.tell_history(e for e, new in zip(events, fresh, strict=True) if new)
        return sum(fresh)

    async def history_channels(self, platform: str) -> frozenset[str] | None:
        """The home channels on `platform` whose history a listener wants (None: all)."""
        return await self._history.channels(platform)

    async def tell_history(self, events: Iterable[InboundEvent]) -> None:
        """Hand newly recorded history (fetched or imported) to the listeners that want it."""
        await self._history.tell(self, events)

    async def last_message_id(self, platform: str, channel_id: str) -> str | None:
        """The newest message recorded in a channel: where a history catch-up starts."""
        return await self.store.run(history.last_message_id, platform, channel_id)

    async def author_of(self, platform: str, message_id: str) -> MemberRef | None:
        """Who posted a message, as recorded: for a platform that reports a deletion by id."""
        return await self.store.run(history.author_of, platform, message_id)

    async def recall(self, platform: str, key: str) -> str | None:
        """What the `platform` adapter kept under `key` at an earlier start, or None."""
        return await self.store.run(recall, platform, key)

    async def keep(self, platform: str, key: str, value: str) -> None:
        """Keep `value` under `key` for the `platform` adapter's next start."""
        await self.store.run(keep, platform, key, value, self.clock.now())

    async def tell_managers_once(self, platform: str, key: str, message: Message) -> bool:
        """Tell `platform`'s managers' channel, once ever per `key` (through the outbox);
        False when it was said already."""
        announcement = replace(notice(platform, message), key=f"once:{platform}:{key}")
        ids = await self.outbox.enqueue(announcement)
        if ids[0] is None:
            return False
        await self.outbox.send_now(*ids)
        return True

    async def _safe_private(self, event: InboundEvent, text: str) -> None:
        try:
            await self.reply_private(event, Message(text=text))
        except Exception:
            log.exception("could not tell the member about a failure")
