"""The engagement figures straight from the store, on SQLite and PostgreSQL alike."""

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.core.directory import Directory
from bot.core.events import ChannelRef, MemberRef, MessagePosted, ReactionAdded, ReactionRemoved
from bot.core.interaction_log import InteractionLog
from bot.features.member_stats import Engagement, engagement
from bot.store.database import Store

BERLIN = ZoneInfo("Europe/Berlin")  # summer time from Sunday 29 March 2026
MIA = MemberRef("discord", "u1", "mia")
BOB = MemberRef("discord", "u2", "bob")
GENERAL = ChannelRef("discord", "c1", "general")


def local(day: int, hour: int, minute: int = 0, month: int = 3) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=BERLIN)


async def test_days_reactions_and_messages_by_local_date(any_db_url: str) -> None:
    store = Store.open(any_db_url)
    log = InteractionLog(store, Directory())
    log.start()
    now = local(1, 13, month=4).replace(microsecond=500)  # as a real clock gives it
    said = [local(26, 12), local(30, 23, 40), local(31, 0, 20), local(1, 12, month=4), now]
    for n, at in enumerate(said):
        base = {"member": MIA, "channel": GENERAL, "at": at}
        await log.record(MessagePosted(event_id=f"m{n}", message_id=f"m{n}", text="hi", **base))
    on_post = {"message_id": "m0", "message_author": MIA, "channel": GENERAL}
    await log.record(ReactionAdded(event_id="r1", member=BOB, emoji="👍", at=said[1], **on_post))
    await log.record(ReactionAdded(event_id="r2", member=BOB, emoji="👍", at=said[2], **on_post))
    await log.record(ReactionAdded(event_id="r3", member=BOB, emoji="🎉", at=said[2], **on_post))
    await log.record(ReactionRemoved(event_id="r4", member=BOB, emoji="🎉", at=said[3], **on_post))
    await log.stop()
    ids = Directory()
    mia, bob = (store.call(ids.member_id, who) for who in (MIA, BOB))
    assert store.call(engagement, mia, now, BERLIN) == {  # what happened at `now` counts too
        7: Engagement(messages=5, reactions_received=1, days_active=4),
        30: Engagement(messages=5, reactions_received=1, days_active=4),
    }
    assert store.call(engagement, bob, now, BERLIN)[7] == Engagement(
        reactions_given=1, days_active=3
    )
    store.close()
