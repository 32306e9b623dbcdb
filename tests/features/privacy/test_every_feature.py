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
from tests.recording import Posted, Recorded, Said

EVERY_TRACE = {
    "contest.created_by",
    "contestdraw.drawn_by",
    "contestentry.member_id",
    "contestvote.member_id",
    "feedback.member_id",
    "hiddenmember.member_id",
    "inquiry.assignee_id",
    "inquiry.closed_by_id",
    "inquiry.first_responder_id",
    "inquiry.member_id",
    "interaction.member_id",
    "interaction.target_member_id",
    "member.name",
    "member.platform_user_id",
    "objective.created_by",
    "poll.created_by",
    "pollvote.member_id",
    "survey.created_by",
    "surveyresponse.member_id",
}  # where quinn's use of every feature leaves their id or name before they are forgotten


async def _script(recorded: Recorded, by: str, where: str, script: str) -> Said:
    """Each line of `script` as a command by `by` in `where`."""
    said = Said()
    for line in script.strip().splitlines():
        said += await recorded.command(line, by=by, in_=where)
    return said


async def use_everything(recorded: Recorded) -> Said:
    """quinn posts, votes, answers, gives feedback, enters, votes in and runs contests."""
    recorded.manager("mia")
    recorded.manager("quinn")
    said = await _script(
        recorded,
        "mia",
        "managers",
        """
/survey create title:"Pulse" questions:"Rate us (1-5) | What next?"
/contest create title:"Draw" closes:1d
/contest create title:"Vote" closes:1d mode:vote channel:general
/contest create title:"Later" closes:5d mode:vote channel:general
""",
    )
    said += await _script(
        recorded,
        "bob",
        "general",
        """
/contest enter id:2 entry:"sunset"
/contest enter id:3 entry:"harbour"
/contest enter id:1
/poll create question:"Lunch?" options:"Soup | Salad"
/poll create question:"Hidden?" options:"Yes | No" anonymous:true closes:2h
""",
    )
    hello = await recorded.post("hello everyone", by="quinn")
    said += await recorded.command(
        '/poll create question:"Best day?" options:"Mon | Wed"', by="quinn"
    )
    lunch, hidden, best_day = (_post(said, text) for text in ("Lunch?", "Hidden?", "Best day?"))
    said += await recorded.click(lunch, "Soup", by="quinn")
    said += await recorded.click(hidden, "Yes", by="quinn")
    await recorded.click(_post(said, "Survey #1"), "Respond", by="quinn")
    said += await recorded.submit("5", "More meetups", by="quinn")
    said += await _script(
        recorded,
        "quinn",
        "general",
        """
/feedback text:"Lovely community, thanks"
/privacy hide-me
/contest enter id:1
/contest enter id:2 entry:"mountain"
/contest enter id:3 entry:"river"
""",
    )
    said += await recorded.click(_post(said, "Entry by bob in contest #2"), "Vote", by="quinn")
    said += await recorded.click(_post(said, "Entry by bob in contest #3"), "Vote", by="quinn")
    said += await recorded.command("/stats me", by="quinn")
    await recorded.reply(hello, "welcome", by="bob")
    await recorded.react(hello, "👍", by="bob")
    said += await recorded.click(best_day, "Wed", by="bob")
    said += await _script(
        recorded,
        "quinn",
        "managers",
        """
/survey create title:"Mine" questions:"Why?"
/contest create title:"Own" closes:2d
/contest draw id:1
/contest reroll id:1
/poll close id:3
/objective set metric:messages target:100
""",
    )
    said += await _inquiries(recorded)
    said += await recorded.advance("1d")
    assert _post(said, "Entry by quinn in contest #3")
    assert "You voted for Soup." in said.told("quinn")
    assert any(t.startswith("Thank you! Your response to survey #1") for t in said.told("quinn"))
    return said


async def _inquiries(recorded: Recorded) -> Said:
    """quinn asks with /ask, answers bob's question, takes cy's alert and resolves it."""
    said = await recorded.command('/ask question:"Can we get a jobs channel?"', by="quinn")
    bobs = await recorded.post("Where is the meetup?", by="bob", in_="help")
    await recorded.reply(bobs, "In the library", by="quinn")
    await recorded.post("How do I add my talk?", by="cy", in_="help")
    said += await recorded.advance("1h")
    said += await recorded.click(_post(said, "⏰ Unanswered"), "Take it", by="quinn")
    said += await recorded.command("/inquiries resolve id:3", by="quinn", in_="managers")
    assert "Inquiry #3 is resolved." in said.told("quinn")
    return said


def _post(said: Said, start: str) -> Posted:
    """The first public post whose text starts with `start`."""
    return next(p for p in said.public() if p.text.startswith(start))


async def test_forget_leaves_nothing_that_names_the_member(recorded: Recorded) -> None:
    await use_everything(recorded)
    member_id, user_id = _ids(recorded, "quinn")
    before = recorded.app.store.call(_mentions, member_id, {user_id, "quinn"})
    assert {found.split(" = ")[0] for found in before} >= EVERY_TRACE  # the check sees them
    said = await recorded.command("/privacy forget confirm:true", by="quinn")
    assert said.told("quinn")[0].startswith("Done: Steward no longer holds anything about you")
    found = recorded.app.store.call(_mentions, member_id, {user_id, "quinn"})
    assert found == []
    # others' data stays: bob's entries, votes, poll and its count
    [entrants] = await recorded.command("/contest entrants id:3", by="mia", in_="managers")
    assert entrants.text == "Entrants of contest #3 “Later”: 1"
    assert entrants.plain.splitlines()[1].startswith("1. bob")


async def test_export_has_all_of_the_members_data_and_nothing_of_others(
    recorded: Recorded,
) -> None:
    await use_everything(recorded)
    [export] = await recorded.command("/privacy export", by="quinn")
    assert export.private_to == recorded.member("quinn")
    data = export.json()
    assert data["member"]["name"] == "quinn" and data["member"]["roles"] == ["R01"]
    details = [i["detail"] for i in data["interactions"]]
    assert {"poll:vote:1", "survey:1", "feedback", "contest enter", "contest draw"} <= set(details)
    assert {i["channel"] for i in data["interactions"]} == {"general", "help", "managers"}
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
    assert [o["metric"] for o in data["objectives"]["objectives_set"]] == ["messages"]
    assert data["privacy"]["hidden_from_digest"] is True
    [asked] = data["inquiries"]
    assert (asked["text"], asked["status"]) == ("Can we get a jobs channel?", "waiting")
    text = json.dumps(data)
    others = ("bob", "mia", "sunset", "harbour")
    for other in (*others, *(recorded.member(name).user_id for name in ("bob", "mia"))):
        assert other not in text


def _ids(recorded: Recorded, name: str) -> tuple[int, str]:
    member = recorded.app.store.call(
        lambda s: s.exec(select(Member).where(Member.name == name)).scalars().one()
    )
    return member.id, member.platform_user_id


def _mentions(session, member_id: int, words: set[str]) -> list[str]:
    """`table.column = value` for every value anywhere that names the member."""
    member_key = Member.__table__.c.id
    lowered = {word.lower() for word in words}  # platform ids may be upper case (U02AB…)
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
                if isinstance(value, str) and any(word in value.lower() for word in lowered):
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


async def test_forget_erases_a_managers_name_from_the_calendar(recorded: Recorded) -> None:
    recorded.manager("quinn")
    await recorded.command(
        "/calendar add when:2026-03-03T10:00 channel:general type:article text:Read",
        by="quinn",
        in_="managers",
    )
    said = await recorded.advance("24h45m")  # the heads-up, 15 minutes before
    [heads_up] = [p for p in said.public(channel="managers") if p.text.startswith("⏰")]
    await recorded.click(heads_up, "Skip this one", by="quinn")
    member_id, user_id = _ids(recorded, "quinn")
    before = recorded.app.store.call(_mentions, member_id, {user_id, "quinn"})
    assert f"calendarpost.author_id = {member_id}" in before  # by member id, not by name
    assert f"calendaroccurrence.skipped_by_id = {member_id}" in before
    [export] = await recorded.command("/privacy export", by="quinn", in_="managers")
    calendar = export.json()["calendar"]
    assert [(p["id"], p["channel"]) for p in calendar["scheduled"]] == [(1, "general")]
    assert [s["post_id"] for s in calendar["skipped"]] == [1]
    await recorded.command("/privacy forget confirm:true", by="quinn", in_="managers")
    assert recorded.app.store.call(_mentions, member_id, {user_id, "quinn"}) == []


async def test_a_reply_to_a_forgotten_member_does_not_bring_them_back(
    recorded: Recorded,
) -> None:
    hello = await recorded.post("hello", by="quinn")
    assert "quinn" in {m.name for m in recorded.app.store.call(_members)}
    await recorded.command("/privacy forget confirm:true", by="quinn")
    await recorded.reply(hello, "hi", by="bob")
    assert {m.name for m in recorded.app.store.call(_members)} == {"bob"}  # bob's reply counts


def _members(session) -> list[Member]:
    return list(session.execute(select(Member)).scalars())
