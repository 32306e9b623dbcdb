"""Slack's side of an interaction: bolt's `ack` within 3 seconds, private answers (in the
ack itself, through the `response_url`, or in the modal), and forms through `views.open`."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from adapters.slack.inbound import click_place, form_origin
from adapters.slack.render import blocks, modal, post_kwargs
from bot.core.messages import Form, Message

if TYPE_CHECKING:
    from adapters.slack.adapter import SlackAdapter

Call = Callable[..., Awaitable[Any]]
COMMAND, CLICK, SUBMIT = "command", "click", "submit"


class SlackResponder:
    """Answers one slash command, button click or modal submission."""

    def __init__(
        self,
        adapter: SlackAdapter,
        kind: str,
        body: dict[str, Any],
        ack: Call,
    ) -> None:
        self.adapter = adapter
        self.kind = kind
        self.body = body
        self._ack_call = ack
        self.acked = False

    async def _ack(self, **kwargs: Any) -> bool:
        """Acknowledge once (later calls do nothing); whether this call acknowledged."""
        if self.acked:
            return False
        self.acked = True
        await self._ack_call(**kwargs)
        return True

    async def defer(self) -> None:
        """Acknowledge now; the answer follows through the response URL (or privately)."""
        await self._ack()

    async def respond(self, message: Message) -> None:
        """A private answer: in the ack of a command, in the modal of a submission (when in
        time), else an ephemeral follow-up; an image or file follows in a direct message."""
        message = self.adapter.named(message)
        await self._answer(message)
        if message.image is not None or message.file is not None:
            failed = await self.adapter.sender.files_to(self._user(), message)
            if failed is not None:
                note = f"⚠️ The file could not be sent to you ({failed}); please tell a manager."
                await self._answer(Message(text=note))

    async def refuse(self, message: Message) -> None:
        """Why a submitted form was not taken: shown over the form (`push`), so "Back"
        returns the member to their answers to correct them; otherwise an answer."""
        if self.kind == SUBMIT and not self.acked:
            shown = _answer_view(self.adapter.named(message), close="Back")
            await self._ack(response_action="push", view=shown)
            return
        await self.respond(message)

    async def _answer(self, message: Message) -> None:
        kwargs = post_kwargs(message)
        if not self.acked and self.kind == COMMAND:
            await self._ack(response_type="ephemeral", **kwargs)
        elif not self.acked and self.kind == SUBMIT:
            await self._ack(response_action="update", view=_answer_view(message))
        else:
            await self._ack()
            url = self.body.get("response_url")
            if not url or not await self.adapter.sender.through(url, message):
                await self.adapter.sender.ephemeral(self._origin(), self._user(), message)

    async def open_form(self, form: Form) -> None:
        """The modal, on the click's trigger id (valid 3 seconds, once), then the ack."""
        channel_id, thread_ts = self._origin()
        origin = {"channel": channel_id, "thread_ts": thread_ts}
        view = modal(form, private_metadata=json.dumps(origin))
        await self.adapter.client.views_open(trigger_id=self.body["trigger_id"], view=view)
        await self._ack()

    async def finish(self) -> None:
        """Nothing to say: acknowledge silently (a submitted modal closes)."""
        await self._ack()

    def _user(self) -> str:
        return self.body.get("user_id") or self.body["user"]["id"]

    def _origin(self) -> tuple[str, str | None]:
        """The channel (and thread) the interaction came from."""
        if self.kind == COMMAND:
            return self.body["channel_id"], None
        if self.kind == CLICK:
            channel_id, _, thread_ts = click_place(self.body)
            return channel_id, thread_ts
        return form_origin(self.body["view"])


def _answer_view(message: Message, close: str = "Close") -> dict[str, Any]:
    """Steward's answer as a modal view (over or in place of the submitted form)."""
    shown = blocks(message) or [{"type": "section", "text": {"type": "mrkdwn", "text": "✅"}}]
    return {
        "type": "modal",
        "title": {"type": "plain_text", "text": "Steward"},
        "close": {"type": "plain_text", "text": close},
        "blocks": shown[:100],
    }
