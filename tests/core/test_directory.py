"""The directory after a restart: members and channels already stored need no lookup."""

from bot.core.directory import Directory
from bot.store.database import Store
from tests.store.test_ingest import GENERAL, member, open_log, said


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
