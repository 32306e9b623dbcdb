"""The poll store on SQLite and PostgreSQL, its migration, and the chart it is drawn with."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy.exc import IntegrityError
from sqlmodel import SQLModel, select

from bot.core.directory import Directory
from bot.core.errors import UsageError
from bot.core.events import MemberRef
from bot.features.polls.ballots import Click, cast_vote, cast_votes
from bot.features.polls.store import (
    PollDraft,
    PollVote,
    VoteChange,
    create_poll,
    due_polls,
    load_view,
    mark_closed,
    next_closing,
)
from bot.store.database import Store
from bot.text.charts import bar_chart, draw_bar_chart

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def store(any_db_url: str):
    store = Store.open(any_db_url)
    yield store
    store.close()


def open_poll(store: Store, multi: bool = False, anonymous: bool = False) -> int:
    draft = PollDraft(
        platform="console",
        channel_id="general",
        question="Best day?",
        options=("Mon", "Wed", "Fri"),
        closes_at=NOW + timedelta(hours=2),
        multi=multi,
        anonymous=anonymous,
    )
    return store.call(create_poll, draft, None, NOW)


def click(store: Store, poll_id: int, index: int, user: str = "bob") -> VoteChange:
    def work(session):
        member = Directory().member_id(session, MemberRef("console", user, user), NOW)
        return cast_vote(session, poll_id, index, "console", user, member, NOW).change

    return store.call(work)


# (voter, option) in order: votes, moves, toggles twice, a second thought, a stale button
CLICKS = [("bob", 0), ("ann", 1), ("bob", 0), ("bob", 0), ("ann", 2), ("cai", 1), ("ann", 2)]
CLICKS += [("cai", 1), ("cai", 2), ("bob", 1), ("dan", 7), ("bob", 1), ("bob", 2), ("eve", 0)]


def outcomes(results: list) -> list[str]:
    return [r.message if isinstance(r, UsageError) else f"{r.change} {r.option}" for r in results]


@pytest.mark.parametrize("multi", [False, True])
def test_a_batch_of_clicks_does_what_the_same_clicks_do_one_by_one(
    store: Store, multi: bool
) -> None:
    alone, batched = open_poll(store, multi=multi), open_poll(store, multi=multi)
    store.call(lambda s: cast_votes(s, [_click(s, alone, "bob", 2)]))  # voted before: stored
    store.call(lambda s: cast_votes(s, [_click(s, batched, "bob", 2)]))

    one_by_one = [
        store.call(lambda s, who=who, i=i: cast_votes(s, [_click(s, alone, who, i)])[0])
        for who, i in CLICKS
    ]
    in_one = store.call(lambda s: cast_votes(s, [_click(s, batched, w, i) for w, i in CLICKS]))

    assert outcomes(in_one) == outcomes(one_by_one)
    assert "That option is not on this poll." in outcomes(in_one)
    a, b = store.call(load_view, alone), store.call(load_view, batched)
    assert (b.counts, b.voters) == (a.counts, a.voters)
    assert sum(a.counts) > 0


def test_a_batch_refuses_clicks_on_a_closed_poll_alone(store: Store) -> None:
    open_, closed = open_poll(store), open_poll(store)
    store.call(mark_closed, closed, NOW, None)
    results = store.call(
        lambda s: cast_votes(s, [_click(s, closed, "bob", 0), _click(s, open_, "bob", 1)])
    )
    assert outcomes(results) == [f"Poll {closed} is closed; it no longer takes votes.", "voted Wed"]
    assert store.call(load_view, open_).counts == (0, 1, 0)


def _click(session, poll_id: int, user: str, index: int) -> Click:
    member = Directory().member_id(session, MemberRef("console", user, user), NOW)
    return Click(poll_id, index, "console", user, member, NOW)


def test_votes_move_toggle_and_close_once(store: Store) -> None:
    single, multi = open_poll(store), open_poll(store, multi=True, anonymous=True)
    assert [click(store, single, i) for i in (0, 2, 2)] == [
        VoteChange.VOTED,
        VoteChange.MOVED,
        VoteChange.REMOVED,
    ]
    assert [click(store, multi, i) for i in (0, 2, 0)] == [
        VoteChange.ADDED,
        VoteChange.ADDED,
        VoteChange.REMOVED,
    ]
    click(store, multi, 2, user="carol")
    view = store.call(load_view, multi)
    assert (view.counts, view.voters, view.winners) == ((0, 0, 2), 2, ("Fri",))
    ids = store.call(lambda s: list(s.exec(select(PollVote.id))))
    assert all(vote_id > 2**31 for vote_id in ids)  # random 62-bit ids fit the column

    assert store.call(next_closing) == NOW + timedelta(hours=2)
    assert store.call(due_polls, NOW + timedelta(hours=2)) == [single, multi]
    assert store.call(mark_closed, single, NOW, None) is True
    assert store.call(mark_closed, single, NOW, None) is False  # another process was first
    assert store.call(due_polls, NOW + timedelta(hours=2)) == [multi]
    with pytest.raises(UsageError, match="is closed"):
        click(store, single, 0)


def test_the_database_holds_a_single_choice_voter_to_one_vote(store: Store) -> None:
    poll_id = open_poll(store)
    click(store, poll_id, 0)

    def second_vote(session) -> None:  # what two racing clicks would try
        first = session.exec(select(PollVote)).one()
        session.add(
            PollVote(
                id=first.id + 1,
                poll_id=poll_id,
                option_index=1,
                slot=0,
                voter_hash=first.voter_hash,
            )
        )

    with pytest.raises(IntegrityError):
        store.call(second_vote)


def test_migration_matches_the_poll_tables(store: Store) -> None:
    with store.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        diff = compare_metadata(context, SQLModel.metadata)
    assert [d for d in diff if "poll" in repr(d)] == []


def test_bar_chart_is_a_png() -> None:
    png = bar_chart("Votes", ["Mon", "Wed 🎉", "x" * 60], [3, 12, 0], horizontal=True)
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 2000
    assert bar_chart("Per day", ["Mon", "Tue"], [0.5, 2.25]).startswith(b"\x89PNG")
    with pytest.raises(ValueError, match="one value per label"):
        bar_chart("Bad", ["a"], [1, 2])


def test_chart_shows_whole_long_options_and_marks_winners_in_bold() -> None:
    """Two 55-character options that differ only at the end stay distinguishable."""
    office = "Option A: we meet on Friday evening, in the main office"
    online = "Option A: we meet on Friday evening, online on a stage."
    assert len(office) == len(online) == 55
    figure = draw_bar_chart(
        "Where?",
        [office, online, "Mon"],
        [4, 7, 7],
        horizontal=True,
        highlight=[1, 2],
        value_label="votes",
    )
    [axes] = figure.axes
    ticks = axes.get_yticklabels()
    assert [" ".join(t.get_text().split()) for t in ticks] == [office, online, "Mon"]
    assert [t.get_fontweight() for t in ticks] == ["normal", "bold", "bold"]
    assert axes.get_xlabel() == "votes"
