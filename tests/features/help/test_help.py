"""`/help` shows the managers' feedback summary under its own name, `/feedback-summary`."""

from tests.recording import Recorded


async def test_help_lists_feedback_for_members_and_the_summary_for_managers(
    recorded: Recorded,
) -> None:
    [member] = (await recorded.command("/help", by="bob")).told("bob")
    assert "`/feedback text:<string>` — Tell the community managers" in member
    assert "feedback-summary" not in member
    recorded.manager("mia")
    [manager] = (await recorded.command("/help", by="mia", in_="managers")).told("mia")
    assert "`/feedback-summary [days:<integer>]` — Feedback of the last days" in manager
    assert "/feedback summary" not in manager


async def test_help_feedback_shows_both_commands(recorded: Recorded) -> None:
    [reply] = (await recorded.command("/help feedback", by="bob")).told("bob")
    assert reply.startswith("Help for /feedback\n")
    assert "/feedback text:<string>" in reply
    assert "/feedback-summary [days:<integer>]" in reply
    assert "(`/feedback-summary` is for community managers.)" in reply


async def test_help_finds_a_command_written_with_a_space_for_its_hyphen(
    recorded: Recorded,
) -> None:
    [reply] = (await recorded.command('/help "feedback summary"', by="bob")).told("bob")
    assert reply.startswith("Help for /feedback-summary\n")
    assert "/feedback text:<string>" not in reply
    [unknown] = (await recorded.command("/help feedback nothing", by="bob")).told("bob")
    assert unknown.startswith("There is no command `/feedback nothing`.")
