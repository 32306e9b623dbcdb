"""`/privacy hide-me`: a member asks never to be named in the digest and reports."""

from sqlmodel import select

from bot.features.privacy import FEATURE, HiddenMember, hidden_members
from bot.store.models import Member
from tests.recording import Recorded

HIDDEN = (
    "Done: the weekly digest and reports will never name you (not among top contributors, "
    "nor anywhere else); your activity still counts in totals.\n"
    "To be named again: `/privacy hide-me undo:true`"
)
NAMED_AGAIN = (
    "Done: the weekly digest and reports may name you again (among top contributors, say). "
    "To be left out: `/privacy hide-me`"
)


def _hidden_names(recorded: Recorded) -> set[str]:
    def names(session) -> set[str]:
        ids = hidden_members(session)
        return set(session.exec(select(Member.name).where(Member.id.in_(ids))).all())

    return recorded.app.store.call(names)


async def _told(recorded: Recorded, line: str, by: str = "bob") -> str:
    said = await recorded.command(line, by=by)
    assert said.public() == []
    [reply] = said.told(by)
    return reply


async def test_hide_me_and_undo(recorded: Recorded) -> None:
    await recorded.post("hello", by="eve")
    assert FEATURE.name == "privacy"
    assert await _told(recorded, "/privacy hide-me") == HIDDEN
    assert _hidden_names(recorded) == {"bob"}
    again = await _told(recorded, "/privacy hide-me")
    assert again == HIDDEN.replace("Done: ", "You are already hidden: ")
    assert _hidden_names(recorded) == {"bob"}

    await recorded.advance("1d")
    assert await _told(recorded, "/privacy hide-me undo:true") == NAMED_AGAIN
    assert _hidden_names(recorded) == set()
    again = await _told(recorded, "/privacy hide-me undo:true")
    assert again == NAMED_AGAIN.replace("Done: ", "You were not hidden: ")
    assert await _told(recorded, "/privacy hide-me undo:false") == HIDDEN  # false: hide


async def test_a_bad_undo_is_refused_and_changes_nothing(recorded: Recorded) -> None:
    reply = await _told(recorded, "/privacy hide-me undo:maybe")
    assert reply == (
        "`undo` must be true or false (got 'maybe').\nUsage: /privacy hide-me [undo:<boolean>]"
    )
    assert _hidden_names(recorded) == set()


async def test_export_says_whether_the_member_is_hidden(recorded: Recorded) -> None:
    [before] = await recorded.command("/privacy export", by="bob")
    assert before.json()["privacy"] == {"hidden_from_digest": False, "hidden_at": None}
    assert "do not name you" not in before.text
    await recorded.advance("2h")
    await recorded.command("/privacy hide-me", by="bob")
    [after] = await recorded.command("/privacy export", by="bob")
    assert after.json()["privacy"] == {
        "hidden_from_digest": True,
        "hidden_at": "2026-03-02T11:00:00+00:00",
    }
    assert after.text.endswith("Only you can see this. The digest and reports do not name you.")
    [eves] = await recorded.command("/privacy export", by="eve")
    assert eves.json()["privacy"]["hidden_from_digest"] is False  # bob's choice is his own


async def test_forget_removes_the_choice_with_the_member(recorded: Recorded) -> None:
    await recorded.command("/privacy hide-me", by="bob")
    await recorded.command("/privacy hide-me", by="eve")
    await recorded.command("/privacy forget confirm:true", by="bob")
    rows = recorded.app.store.call(lambda s: len(s.exec(select(HiddenMember)).all()))
    assert (_hidden_names(recorded), rows) == ({"eve"}, 1)
    # back later, bob is a new member, named unless he asks again
    await recorded.post("I am back", by="bob")
    assert _hidden_names(recorded) == {"eve"}


async def test_help_lists_hide_me_for_every_member(recorded: Recorded) -> None:
    [listed] = (await recorded.command("/help", by="bob")).told("bob")
    assert (
        "`/privacy hide-me [undo:<boolean>]` — Never be named in the weekly digest and reports "
        "(your activity still counts)."
    ) in listed.splitlines()
