"""Posting and editing on Slack: channels, threads, ephemeral and direct messages, images
and files through the three-step upload. A refusal a manager can fix is told to them once
and the post raises, so the outbox keeps it and tries again; nothing is dropped silently."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import aiohttp
from aiohttp import ClientConnectorError, ConnectionTimeoutError
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
)
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState
from slack_sdk.webhook.async_client import AsyncWebhookClient

from adapters.slack import health
from adapters.slack.inbound import PLATFORM
from adapters.slack.render import post_kwargs, update_kwargs
from bot.core.envelope import Destination
from bot.core.messages import Message, SentMessage

if TYPE_CHECKING:
    from adapters.slack.adapter import SlackAdapter

log = logging.getLogger(__name__)
# what a call may fail with: Slack's refusal, a failed upload step, the network
FAILURES = (SlackClientError, health.SlackProblem, aiohttp.ClientError, OSError)

# Web API methods a second delivery would post again (the rest are idempotent, or refuse a
# second try: chat.update, conversations.open, views.open, files.getUploadURLExternal).
POSTING = frozenset(
    {
        "chat.postMessage",
        "chat.postEphemeral",
        "chat.scheduleMessage",
        "chat.meMessage",
        "files.completeUploadExternal",
    }
)
BEFORE_SENDING = (ClientConnectorError, ConnectionTimeoutError)  # the request never left


class Sender:
    """The adapter's outbound half."""

    def __init__(self, adapter: SlackAdapter) -> None:
        self.adapter = adapter

    async def send(self, to: Destination, message: Message) -> SentMessage:
        """Post `message` where `to` says: a channel, a thread (a reply goes in the replied
        message's thread), one member in the channel (ephemeral) or a direct message (an
        ephemeral message cannot carry an image or a file: those go as a direct message)."""
        thread = to.thread_id or to.reply_to
        if to.private_to is not None and (to.direct or _has_uploads(message)):
            return await self.direct(to.private_to, message)
        if to.private_to is not None:
            ts = await self.ephemeral((to.channel_id, thread), to.private_to, message)
            return SentMessage(PLATFORM, to.channel_id, ts)
        return await self.post(to.channel_id, thread, message)

    async def post(self, channel_id: str, thread: str | None, message: Message) -> SentMessage:
        """A message in a channel (or thread), its image and file uploaded beside it."""
        kwargs = post_kwargs(message)
        if thread is not None:
            kwargs["thread_ts"] = thread
        answer = await self._call(
            channel_id, self.adapter.client.chat_postMessage, channel=channel_id, **kwargs
        )
        sent = SentMessage(PLATFORM, answer["channel"], answer["ts"])
        failed = await self.attach(sent.channel_id, thread, message)
        if failed is not None and channel_id.startswith("D"):
            await self._note(channel_id, f"⚠️ The file could not be attached ({failed}).")
        return sent

    async def _note(self, channel_id: str, text: str) -> None:
        """A word after the post is out: a failure is logged, never raised (the outbox
        would post the message again)."""
        try:
            await self._call(
                channel_id,
                self.adapter.client.chat_postMessage,
                channel=channel_id,
                **post_kwargs(Message(text=text)),
            )
        except FAILURES as exc:
            log.warning("Slack: could not post a note to %s: %s", channel_id, exc)

    async def update(self, sent: SentMessage, message: Message) -> None:
        """Replace a posted message's text and blocks (`chat.update`)."""
        client = self.adapter.client
        await self._call(
            sent.channel_id,
            client.chat_update,
            channel=sent.channel_id,
            ts=sent.message_id,
            **update_kwargs(message),
        )

    async def ephemeral(self, where: tuple[str, str | None], user_id: str, message: Message) -> str:
        """A message only `user_id` sees, in the channel (or thread); its `message_ts`."""
        channel_id, thread = where
        kwargs = post_kwargs(message)
        if thread:
            kwargs["thread_ts"] = thread
        client = self.adapter.client
        answer = await self._call(
            channel_id, client.chat_postEphemeral, channel=channel_id, user=user_id, **kwargs
        )
        return str(answer.get("message_ts", ""))

    async def through(self, response_url: str, message: Message) -> bool:
        """A private answer through an interaction's `response_url` (good for 30 minutes and
        5 answers), on the shared session and never sent twice; False when Slack did not
        take it (the caller answers another way)."""
        webhook = AsyncWebhookClient(
            url=response_url,
            session=self.adapter.client.session,
            retry_handlers=[AsyncRateLimitErrorRetryHandler(max_retry_count=3)],
        )
        body = {"response_type": "ephemeral", "replace_original": False, **post_kwargs(message)}
        try:
            answer = await webhook.send_dict(body)
        except FAILURES as exc:
            log.warning("Slack: an answer through the response URL failed: %s", exc)
            return False
        if answer.status_code != 200:
            log.warning(
                "Slack: the response URL refused an answer: %s %s", answer.status_code, answer.body
            )
            return False
        return True

    async def direct(self, user_id: str, message: Message) -> SentMessage:
        """A direct message (files included: an ephemeral message cannot carry one)."""
        channel_id = await self._dm(user_id)
        return await self.post(channel_id, None, message)

    async def files_to(self, user_id: str, message: Message) -> str | None:
        """The image and file of a private answer, in a direct message; why they could not
        be sent, or None."""
        try:
            channel_id = await self._dm(user_id)
        except FAILURES as exc:
            return _reason(exc)
        return await self.attach(channel_id, None, message)

    async def _dm(self, user_id: str) -> str:
        answer = await self._call("", self.adapter.client.conversations_open, users=user_id)
        return answer["channel"]["id"]

    async def attach(self, channel_id: str, thread: str | None, message: Message) -> str | None:
        """Upload the image and file of a message posted already: a failure is logged (and
        told to the managers when they can fix it) but not raised, because the text is out
        and a retry would post it twice; what failed, or None."""
        try:
            await self._upload(channel_id, thread, message)
        except FAILURES as exc:
            log.warning("Slack: could not upload a file to %s: %s", channel_id, exc)
            return _reason(exc)
        return None

    async def _upload(self, channel_id: str, thread: str | None, message: Message) -> None:
        """The image and the file, each through files.getUploadURLExternal, the upload and
        files.completeUploadExternal (slack_sdk's files_upload_v2)."""
        uploads = []
        if message.image is not None:
            image = message.image
            uploads.append(
                {
                    "content": image.data,
                    "filename": image.filename,
                    "title": image.alt or image.filename,
                    "alt_txt": image.alt or None,
                }
            )
        if message.file is not None:
            uploads.append(
                {
                    "content": message.file.data,
                    "filename": message.file.filename,
                    "title": message.file.filename,
                }
            )
        client, where = self.adapter.client, {"channel": channel_id}
        if thread:
            where["thread_ts"] = thread
        for upload in uploads:
            await self._call(channel_id, client.files_upload_v2, **where, **upload)

    async def _call(self, channel_id: str, method, **kwargs):
        """A Web API call; a refusal a manager can fix is told once and raised as such."""
        try:
            return await method(**kwargs)
        except SlackApiError as exc:
            problem = health.explain(exc, channel_id, self.adapter)
            if problem is None:
                raise
            key, text = problem
            await self.adapter.tell_once(key, text, every_start=True)
            raise health.SlackProblem(text) from exc


def _has_uploads(message: Message) -> bool:
    return message.image is not None or message.file is not None


def _reason(exc: Exception) -> str:
    """Why a call failed, in one short phrase (Slack's error code when it gave one)."""
    cause = exc.__cause__ if isinstance(exc, health.SlackProblem) else exc
    if isinstance(cause, SlackApiError):
        return str(cause.response.get("error"))
    return str(exc)


class PostOnceRetries(AsyncConnectionErrorRetryHandler):
    """slack_sdk's retry on connection errors, except where it could post twice.

    A call that posts (POSTING) is retried only when the connection failed before the
    request left (refused, DNS, a connect timeout). A disconnect, a reset or a read timeout
    after sending may come after Slack posted: the error goes up instead, to the caller
    (the outbox, which retries later and tells the managers; a member's answer is logged).
    Other methods keep the retry; a 429 is AsyncRateLimitErrorRetryHandler's (never done).
    """

    async def _can_retry_async(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        method = request.url.rstrip("/").rsplit("/", 1)[-1]
        if method in POSTING and not isinstance(error, BEFORE_SENDING):
            return False
        return await super()._can_retry_async(
            state=state, request=request, response=response, error=error
        )
