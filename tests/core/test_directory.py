"""The directory: members and channels known from memory after a restart, looked up again
when another process erased one, renamed when an event shows a new name."""

from dataclasses import replace

from sqlalchemy import select

from bot.core.directory import Directory
from bot.core.events import ChannelRef
from bot.store.database import Store
from bot.store.models import Channel, Interaction, Member
from tests.store.test_ingest import GENERAL, member, members, open_log, said


async def _community_of(url: str, people: int) -> None:
    store, log = await open_log(url)
    await log.record_many([said(n, by=n) for n in range(people)])
    await log.stop()
    store.close()


async def test_a_restart_knows_stored_members_and_channels_without_asking(any_db_url: str) -> None:
    await _community_of(any_db_url, 5)
    store = Store.open(any_db_url)
    directory = Directory()
    with store.engine.connect() as conn:
        directory.warm(conn)
    no_database = None  # a lookup would need one: every id must come from memory
    keys = [("discord", f"u{n}") for n in range(5)]
    assert sorted(directory.known_member_ids(no_database, keys).values()) == [1, 2, 3, 4, 5]
    assert directory.channel_id(no_database, GENERAL) == 1
    store.close()


async def test_only_the_most_recently_seen_members_are_loaded(any_db_url: str) -> None:
    await _community_of(any_db_url, 5)
    store = Store.open(any_db_url)
    directory = Directory()
    with store.engine.connect() as conn:
        directory.warm(conn, members=2)
        assert directory.known_member_ids(None, [("discord", "u4"), ("discord", "u3")]) == {
            ("discord", "u4"): 5,
            ("discord", "u3"): 4,
        }
        assert directory.known_member_id(conn, member(0)) == 1  # looked up on sight
    store.close()


async def test_a_member_erased_elsewhere_is_looked_up_again_and_no_one_else_is(
    any_db_url: str,
) -> None:
    store, log = await open_log(any_db_url)
    await log.record_many([said(1, by=1), said(2, by=2)])
    erase = Member.__table__.delete().where(Member.__table__.c.name == "member1")
    store.call(lambda s: (s.execute(Interaction.__table__.delete()), s.execute(erase)))
    assert await log.record(said(3, by=1)) is True  # another process forgot member1
    assert log.directory.known_member_ids(None, [("discord", "u2")]) == {("discord", "u2"): 2}
    await log.stop()
    assert sorted(members(store)) == ["member1", "member2"]
    store.close()


async def test_a_renamed_member_and_channel_are_stored_under_their_new_names(
    any_db_url: str,
) -> None:
    store, log = await open_log(any_db_url)
    await log.record(said(1, by=1))
    renamed = replace(said(2, by=1), member=replace(member(1), name="Mia"))
    await log.record(replace(renamed, channel=replace(GENERAL, name="lobby")))
    await log.stop()
    assert list(members(store)) == ["Mia"]
    assert store.call(lambda s: s.execute(select(Channel.name)).scalars().all()) == ["lobby"]
    store.close()


async def test_a_thread_counts_in_its_channel_without_renaming_it(any_db_url: str) -> None:
    store, log = await open_log(any_db_url)
    thread = ChannelRef("discord", "t9", "lunch plans", parent_id=GENERAL.channel_id)
    await log.record(said(1, by=1))
    await log.record(replace(said(2, by=1), channel=thread))
    await log.stop()
    rows = store.call(
        lambda s: s.execute(
            select(Channel.name, Interaction.channel_id).join(
                Interaction, Interaction.channel_id == Channel.id
            )
        ).all()
    )
    assert [tuple(row) for row in rows] == [("general", 1), ("general", 1)]
    store.close()
