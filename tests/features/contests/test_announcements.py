"""Winners announcements go out through the outbox: retried, once, and the reply is honest."""

from __future__ import annotations

from bot.core.envelope import Destination
from bot.core.messages import Message
from tests.recording import Recorded, Said

CREATE = '/contest create title:"Best photo" closes:2d'


async def manage(recorded: Recorded, line: str) -> Said:
    recorded.manager("mia")
    return await recorded.command(line, by="mia", in_="managers")


def announcements(said: Said) -> list:
    return [p for p in said.public("contest") if p.text.startswith("🎉")]


def refuse_winners(recorded: Recorded, times: int) -> None:
    send = recorded.adapter.send
    left = [times]

    async def refusing(to: Destination, message: Message):
        if message.text.startswith("🎉") and left[0] > 0:
            left[0] -= 1
            raise RuntimeError("503 Service Unavailable")
        return await send(to, message)

    recorded.adapter.send = refusing  # type: ignore[method-assign]


async def test_a_draw_whose_announcement_failed_says_so_and_it_goes_out_once_later(
    recorded: Recorded,
) -> None:
    await manage(recorded, CREATE)
    await recorded.command("/contest enter id:1", by="bob")
    refuse_winners(recorded, times=1)
    said = await manage(recorded, "/contest draw id:1")
    assert announcements(said) == []
    assert said.posted_in("managers") == [
        "Closed contest #1 “Best photo” and decided it: bob (the announcement in "
        "#announcements could not be posted yet; Steward keeps trying)."
    ]
    [announcement] = announcements(await recorded.advance("1m"))
    assert announcement.text.startswith("🎉 Contest #1 “Best photo” — winner: bob")
    assert announcements(await recorded.advance("1d")) == []


async def test_a_reroll_is_announced_as_its_own_round(recorded: Recorded) -> None:
    await manage(recorded, CREATE)
    for name in ("bob", "cy"):
        await recorded.command("/contest enter id:1", by=name)
    [first] = announcements(await manage(recorded, "/contest draw id:1"))
    said = await manage(recorded, "/contest reroll id:1")
    [second] = announcements(said)
    assert second.message_id != first.message_id
    assert "(announced in #announcements)" in said.posted_in("managers")[0]
