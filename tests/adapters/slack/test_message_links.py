"""Links to members' messages on Slack: the permalink Slack gives for the message (a thread
reply's names its thread), built from auth.test's workspace URL without asking Slack."""

from __future__ import annotations

from pathlib import Path

from tests.adapters import running
from tests.adapters.running import linking
from tests.adapters.slack.harness import FakeSlack, Workspace, deliver, steward, wait_for


async def say(
    run: running.Running, fake: FakeSlack, channel: str, user: str, text: str, **kw: str
) -> str:
    """`user` posts `text` (a reply with `thread_ts`) and Slack delivers it; its ts."""
    ts = fake.add_message(channel, user, text, **kw)
    await deliver(run, fake, fake.event(fake.message_event(channel, user, text, ts, **kw)), "event")
    return ts


async def test_a_post_and_a_thread_reply_link_as_slacks_permalinks(
    space: Workspace, config: Path
) -> None:
    fake, helpdesk = space.fake, space.channel("help")
    links: dict[str, str | None] = {}
    async with steward(config, linking(links)) as run:
        root = await say(run, fake, helpdesk, space.person("bob"), "how do I export?")
        answer = await say(
            run, fake, helpdesk, space.person("carol"), "Settings, then Export", thread_ts=root
        )
        await wait_for(lambda: len(links) == 2)
        assert fake.called("chat.getPermalink") == []  # a link costs no request
        client = run.adapter.client
        asked = {"how do I export?": root, "Settings, then Export": answer}
        permalinks = {
            text: (await client.chat_getPermalink(channel=helpdesk, message_ts=ts))["permalink"]
            for text, ts in asked.items()
        }
    base = f"https://{fake.team_domain}.slack.com/archives/{helpdesk}"
    in_thread = f"?thread_ts={root}&cid={helpdesk}"
    assert links == {
        "how do I export?": f"{base}/p{root.replace('.', '')}",
        "Settings, then Export": f"{base}/p{answer.replace('.', '')}{in_thread}",
    }
    assert links == permalinks  # what Slack itself would have given
