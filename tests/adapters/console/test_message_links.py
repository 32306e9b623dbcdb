"""Links to members' messages on the console: the id printed before the message, which
`:reply` and `:react` take; no link for a message this run did not print."""

from __future__ import annotations

from tests.adapters.running import linking
from tests.conftest import Community


def link_posts(community: Community) -> dict[str, str | None]:
    """Link every member's post and reply the way a feature would (text -> link)."""
    links: dict[str, str | None] = {}
    linking(links)(community.app)
    return links


async def test_a_link_is_the_printed_id_that_a_reply_can_name(community: Community) -> None:
    links = link_posts(community)
    out = await community.run("hello\n:in help\nhow do I export?\n:thread 2 still stuck")
    assert "#2 [help] you: how do I export?" in out
    assert "#3 [help] you 🧵#2: still stuck" in out
    assert links == {"hello": "#1", "how do I export?": "#2", "still stuck": "#3"}
    out = await community.run(f":as bob\n:reply {links['how do I export?']} Settings, then Export")
    assert "#4 [help] bob ↳#2: Settings, then Export" in out


async def test_no_link_for_an_unknown_message_or_platform(community: Community) -> None:
    await community.run("hello")
    app = community.app
    assert app.message_link("console", "general", community.adapter.message_id(99)) is None
    assert app.message_link("console", "general", "other-1") is None  # another run's
    assert app.message_link("discord", "general", "1") is None  # no such adapter here
