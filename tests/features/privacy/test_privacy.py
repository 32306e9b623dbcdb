"""`/privacy export` and `/privacy forget` as a member sees them."""

from sqlmodel import select

from bot.store.models import Interaction, Member
from tests.recording import Recorded


async def _hello_answered_by_bob(recorded: Recorded) -> None:
    hello = await recorded.post("hello")
    await recorded.reply(hello, "nice", by="bob")
    await recorded.react(hello, "👍", by="bob")


async def test_export_gives_the_member_their_own_data(recorded: Recorded) -> None:
    await _hello_answered_by_bob(recorded)
    [export] = await recorded.command("/privacy export")
    assert export.private_to == recorded.member("you")
    assert export.text.startswith("Here is everything Steward keeps about you (2 interactions)")
    data = export.json()
    assert (data["member"]["name"], data["member"]["user_id"]) == ("you", export.private_to.user_id)
    assert [i["kind"] for i in data["interactions"]] == ["message", "command"]
    assert all(i["text"] is None for i in data["interactions"])  # text is not stored by default


async def test_forget_asks_first_then_erases(recorded: Recorded) -> None:
    await _hello_answered_by_bob(recorded)
    [before] = await recorded.command("/stats me", by="bob")
    assert (before.fields["Replies"], before.fields["Reactions given"]) == ("1 · 1", "1 · 1")
    [ask] = await recorded.command("/privacy forget", by="bob")
    assert "It cannot be undone" in ask.text and "/privacy forget confirm:true" in ask.text
    assert _names(recorded) == {"you", "bob"}
    [done] = await recorded.command("/privacy forget confirm:true", by="bob")
    assert done.private_to == recorded.member("bob")
    assert done.text.startswith("Done: Steward no longer holds anything about you.")
    assert _names(recorded) == {"you"}
    kinds = recorded.app.store.call(
        lambda s: [(i.kind, i.target_member_id) for i in s.exec(select(Interaction))]
    )
    assert kinds == [("message", None)]  # you's message stays; nothing of bob's remains
    [after] = await recorded.command("/stats me", by="bob")
    assert (after.fields["Replies"], after.fields["Reactions given"]) == ("0 · 0", "0 · 0")


def _names(recorded: Recorded) -> set[str]:
    return recorded.app.store.call(lambda s: {m.name for m in s.exec(select(Member))})
