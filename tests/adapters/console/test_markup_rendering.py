"""The console prints neutral markup as plain text, and a long message as several."""

from __future__ import annotations

from dataclasses import replace

from adapters.console.render import first_line, render_body
from bot.core.markup import bold, code, link, mention
from bot.core.messages import Button, Message, Section
from tests.conftest import Community


def test_markup_prints_as_plain_words() -> None:
    message = Message(
        text=f"{bold('Poll closed')}: thanks {mention('U1', 'ann')}\n"
        f"see {link('https://e.org', 'notes')}",
        sections=(
            Section(title=bold("Results"), text=code("a`b"), fields=(("Winner", bold("Wed")),)),
        ),
        buttons=(Button(bold("Vote"), "poll:vote:1:0"),),
    )
    assert first_line(message) == "Poll closed: thanks @ann"
    assert render_body(message) == [
        "    see notes (https://e.org)",
        "    == Results ==",
        "    `aˋb`",
        "    Winner: Wed",
        "    [1: Vote]",
    ]


async def test_a_reply_longer_than_the_console_allows_prints_as_several(
    community: Community,
) -> None:
    small = replace(community.adapter.capabilities, section_text_length=200, sections_per_message=2)
    community.adapter.capabilities = small
    out = await community.run("/help")
    private = [line for line in out.splitlines() if "Steward → you (private)" in line]
    assert len(private) > 1  # nothing refused: the list of commands in several messages
    assert "/poll create" in out and "/privacy forget" in out
