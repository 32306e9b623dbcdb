"""Clicks arriving together share transactions, in order; one that cannot be stored fails
alone and its voter is told, while the others in its batch count."""

from __future__ import annotations

import asyncio

import pytest

from bot.core.events import ButtonPressed
from bot.features.polls import voting
from tests.recording import Posted, Recorded

CREATE = '/poll create question:"Best AMA day?" options:"Mon | Wed | Fri"'


async def open_poll(recorded: Recorded) -> Posted:
    [poll] = (await recorded.command(CREATE)).public("poll")
    return poll


def clicks(recorded: Recorded, poll: Posted, choices: list[tuple[str, str]]) -> list:
    return [
        ButtonPressed(
            **recorded._base(who, poll.channel),
            message_id=poll.message_id,
            action_id=poll.button(label).action_id,
        )
        for who, label in choices
    ]


async def at_once(recorded: Recorded, events: list) -> None:
    await asyncio.gather(
        *(recorded.app.handle(event, recorded.adapter.responder(event)) for event in events)
    )


async def test_clicks_at_once_count_in_order_and_share_transactions(
    recorded: Recorded, monkeypatch: pytest.MonkeyPatch
) -> None:
    poll = await open_poll(recorded)
    batches: list[int] = []
    real = voting.cast_votes

    def counted(session, batch):
        batches.append(len(batch))
        return real(session, batch)

    monkeypatch.setattr(voting, "cast_votes", counted)
    choices = [(f"voter{n}", ("Mon", "Wed", "Fri")[n % 3]) for n in range(60)]
    choices += [("voter0", "Wed"), ("voter0", "Wed"), ("voter1", "Fri")]  # move, take back, move
    before = len(recorded.adapter.posts)
    await at_once(recorded, clicks(recorded, poll, choices))
    await recorded.advance("2s")

    told = [p.plain for p in recorded.adapter.posts[before:] if p.private_to is not None]
    assert sum(t.startswith("You voted for") for t in told) == 60
    assert len(told) == 63
    assert poll.labels == ["Mon · 19", "Wed · 19", "Fri · 21"]  # voter0 gone, voter1 on Fri
    assert sum(batches) == 63 and len(batches) < 10  # not one transaction a click


async def test_a_click_that_cannot_be_stored_fails_alone(
    recorded: Recorded, monkeypatch: pytest.MonkeyPatch
) -> None:
    poll = await open_poll(recorded)
    real = voting.cast_votes

    def breaks_on_bob(session, batch):
        if any(click.user_id == recorded.member("bob").user_id for click in batch):
            raise RuntimeError("the disk is full")
        return real(session, batch)

    monkeypatch.setattr(voting, "cast_votes", breaks_on_bob)
    choices = [("ann", "Mon"), ("bob", "Wed"), ("cai", "Fri"), ("dan", "Mon")]
    before = len(recorded.adapter.posts)
    await at_once(recorded, clicks(recorded, poll, choices))
    await recorded.advance("2s")

    said = {p.private_to.name: p.plain for p in recorded.adapter.posts[before:] if p.private_to}
    assert said["bob"].startswith("Sorry, something went wrong on our side")
    assert all(said[who].startswith("You voted for") for who in ("ann", "cai", "dan"))
    assert poll.labels == ["Mon · 2", "Wed · 0", "Fri · 1"]
