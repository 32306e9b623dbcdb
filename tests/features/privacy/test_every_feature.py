"""`/privacy export` and `/privacy forget` after a member used every feature.

The export holds everything about the member and nothing about anyone else; forgetting leaves
no row in any table that names the member (their member id, platform user id or name), except
anonymous poll votes that nothing links to them any more.
"""

import json

from sqlalchemy import select
from sqlmodel import SQLModel

from bot.features.polls.store import Poll, PollVote, voter_hash
from bot.store.models import Member
from tests.conftest import Community
from tests.features.calendar.support import number_of

SETUP = """\
:as mia manager
:in managers
/survey create title:"Pulse" questions:"Rate us (1-5) | What next?"
/contest create title:"Draw" closes:1d
/contest create title:"Vote" closes:1d mode:vote channel:general
/contest create title:"Later" closes:5d mode:vote channel:general
:as bob
:in general
/contest enter id:2 entry:"sunset"
/contest enter id:3 entry:"harbour"
/contest enter id:1
/poll create question:"Lunch?" options:"Soup | Salad"
/poll create question:"Hidden?" options:"Yes | No" anonymous:true closes:2h
:as quinn manager
:in general
hello everyone
/poll create question:"Best day?" options:"Mon | Wed"
"""


EVERY_TRACE = {
    "contest.created_by",
    "contestdraw.drawn_by",
    "contestentry.member_id",
    "contestvote.member_id",
    "feedback.member_id",
    "interaction.member_id",
    "interaction.target_member_id",
    "member.name",
    "member.platform_user_id",
    "poll.created_by",
    "pollvote.member_id",
    "survey.created_by",
    "surveyresponse.member_id",
}  # where quinn's use of every feature leaves their id or name before they are forgotten


async def use_everything(community: Community) -> str:
    """quinn posts, votes, answers, gives feedback, enters, votes in and runs contests."""
    out = await community.run(SETUP)
    hello = number_of(out, "quinn: hello everyone")
    out += await community.run(
        f":click {number_of(out, 'Steward [poll]: Lunch?')} Soup\n"
        f":click {number_of(out, 'Steward [poll]: Hidden?')} Yes\n"
        f":click {number_of(out, 'Steward [survey]: Survey #1')} Respond\n"
        "5\nMore meetups\n"
        '/feedback text:"Lovely community, thanks"\n'
        "/contest enter id:1\n"
        '/contest enter id:2 entry:"mountain"\n'
        '/contest enter id:3 entry:"river"\n'
        f":click {number_of(out, 'Entry by bob in contest #2')} Vote\n"
        f":click {number_of(out, 'Entry by bob in contest #3')} Vote\n"
        "/stats me\n"
        f":as bob\n:reply {hello} welcome\n:react {hello} 👍\n"
        f":click {number_of(out, 'Steward [poll]: Best day?')} Wed\n"
        ":as quinn manager\n:in managers\n"
        '/survey create title:"Mine" questions:"Why?"\n'
        '/contest create title:"Own" closes:2d\n'
        "/contest draw id:1\n/contest reroll id:1\n/poll close id:3\n"
        ":advance 1d"
    )
    assert "Entry by quinn in contest #3" in out and "You voted for Soup." in out
    assert "Thank you! Your response to survey #1" in out
    return out


async def test_forget_leaves_nothing_that_names_the_member(community: Community) -> None:
    await use_everything(community)
    member_id, user_id = _ids(community, "quinn")
    before = community.app.store.call(_mentions, member_id, {user_id, "quinn"})
    assert {found.split(" = ")[0] for found in before} >= EVERY_TRACE  # the check sees them
    out = await community.run(":in general\n/privacy forget confirm:true")
    assert "Steward no longer holds anything about you" in out
    found = community.app.store.call(_mentions, member_id, {user_id, "quinn"})
    assert found == []
    # others' data stays: bob's entries, votes, poll and its count
    out = await community.run(":as mia\n:in managers\n/contest entrants id:3")
    assert "Entrants of contest #3 “Later”: 1\n    1. bob" in out


async def test_export_has_all_of_the_members_data_and_nothing_of_others(
    community: Community,
) -> None:
    await use_everything(community)
    out = await community.run(":as quinn\n:in general\n/privacy export")
    data = _export_json(out)
    assert data["member"]["name"] == "quinn" and data["member"]["roles"] == ["manager"]
    details = [i["detail"] for i in data["interactions"]]
    assert {"poll:vote:1", "survey:1", "feedback", "contest enter", "contest draw"} <= set(details)
    assert {i["channel"] for i in data["interactions"]} == {"general", "managers"}
    assert data["polls"]["poll_votes"] == [{"poll": 1, "question": "Lunch?", "option": "Soup"}]
    (response,) = data["surveys"]["survey_responses"]
    assert response["answers"] == {"Rate us (1-5)": "5", "What next?": "More meetups"}
    assert [f["text"] for f in data["feedback"]["entries"]] == ["Lovely community, thanks"]
    contests = data["contests"]
    assert [(e["contest"], e["entry"]) for e in contests["entries"]] == [
        ("Draw", None),
        ("Vote", "mountain"),
        ("Later", "river"),
    ]
    assert [v["contest"] for v in contests["votes"]] == ["Vote", "Later"]
    assert [c["title"] for c in contests["contests_created"]] == ["Own"]
    assert [(d["contest"], d["round"]) for d in contests["draws"]] == [("Draw", 1), ("Draw", 2)]
    text = json.dumps(data)
    for other in ("bob", "mia", "sunset", "harbour"):
        assert other not in text


def _ids(community: Community, name: str) -> tuple[int, str]:
    member = community.app.store.call(
        lambda s: s.exec(select(Member).where(Member.name == name)).scalars().one()
    )
    return member.id, member.platform_user_id


def _mentions(session, member_id: int, words: set[str]) -> list[str]:
    """`table.column = value` for every value anywhere that names the member."""
    member_key = Member.__table__.c.id
    found = []
    for table in SQLModel.metadata.sorted_tables:
        for row in session.execute(select(table)).mappings():
            for column in table.columns:
                value = row[column.name]
                links = column is member_key or any(
                    fk.column is member_key for fk in column.foreign_keys
                )
                if links and value == member_id:
                    found.append(f"{table.name}.{column.name} = {value}")
                if isinstance(value, str) and any(word in value.lower() for word in words):
                    found.append(f"{table.name}.{column.name} = {value!r}")
    found += _linked_anonymous_votes(session, words)
    return found


def _linked_anonymous_votes(session, words: set[str]) -> list[str]:
    """Anonymous votes whose hash can still be recomputed for the member (open polls)."""
    rows = session.execute(
        select(PollVote.id, PollVote.voter_hash, Poll.salt, Poll.platform).join(
            Poll, Poll.id == PollVote.poll_id
        )
    )
    return [
        f"pollvote {vote_id} is linkable"
        for vote_id, digest, salt, platform in rows
        if salt and any(voter_hash(salt, platform, word) == digest for word in words)
    ]


def _export_json(out: str) -> dict:
    start = out.index("[file steward-export-console-")
    body = out[out.index("\n", start) + 1 :]
    return json.loads("\n".join(line[4:] for line in body.splitlines()))


async def test_forget_erases_a_managers_name_from_the_calendar(community: Community) -> None:
    await community.run(
        ":as quinn manager\n:in managers\n"
        "/calendar add when:2026-03-03T10:00 channel:general type:article text:Read"
    )
    member_id, user_id = _ids(community, "quinn")
    before = community.app.store.call(_mentions, member_id, {user_id, "quinn"})
    assert any(found.startswith("calendarpost.author = ") for found in before)
    await community.run("/privacy forget confirm:true")
    assert community.app.store.call(_mentions, member_id, {user_id, "quinn"}) == []


async def test_a_reply_to_a_forgotten_member_does_not_bring_them_back(
    community: Community,
) -> None:
    await community.run(":as quinn\nhello")
    assert "quinn" in {m.name for m in community.app.store.call(_members)}
    await community.run("/privacy forget confirm:true\n:as bob\n:reply 1 hi")
    assert {m.name for m in community.app.store.call(_members)} == {"bob"}  # bob's reply counts


def _members(session) -> list[Member]:
    return list(session.execute(select(Member)).scalars())
