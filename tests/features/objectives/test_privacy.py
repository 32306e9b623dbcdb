"""Objectives in `/privacy export` and `/privacy forget`: the setter's link, not the goal."""

from tests.recording import Recorded


async def _manage(recorded: Recorded, line: str, by: str) -> None:
    recorded.manager(by)
    said = await recorded.command(line, by=by, in_="managers")
    assert said.told(by)[0].startswith("🎯 Objective #")


async def test_export_lists_the_objectives_a_member_set_and_forget_unlinks_them(
    recorded: Recorded,
) -> None:
    await _manage(recorded, "/objective set metric:weekly_active_members target:50", "quinn")
    await _manage(recorded, "/objective set metric:messages target:100", "quinn")
    await recorded.advance("1h")
    await _manage(recorded, "/objective set metric:weekly_active_members target:60", "mia")

    [export] = await recorded.command("/privacy export", by="mia", in_="managers")
    assert export.json()["objectives"] == {
        "objectives_set": [
            {
                "id": 1,
                "name": "Weekly active members",
                "metric": "weekly_active_members",
                "direction": "at_least",
                "target": 60.0,
                "created_by_you": False,
                "target_set_by_you": True,
                "created_at": "2026-03-02T09:00:00+00:00",
                "target_set_at": "2026-03-02T10:00:00+00:00",
                "removed_at": None,
            }
        ]
    }
    [export] = await recorded.command("/privacy export", by="quinn")
    mine = export.json()["objectives"]["objectives_set"]
    assert [(o["id"], o["created_by_you"], o["target_set_by_you"]) for o in mine] == [
        (1, True, False),
        (2, True, True),
    ]
    [bobs] = await recorded.command("/privacy export", by="bob")
    assert bobs.json()["objectives"] == {"objectives_set": []}

    await recorded.command("/privacy forget confirm:true", by="mia", in_="managers")
    [listed] = (await recorded.command("/objective list", by="quinn", in_="managers")).told("quinn")
    assert listed.splitlines()[1:] == [
        "#1 · Weekly active members · weekly_active_members at least 60 · "
        "set by a member since forgotten, Mon 2026-03-02 10:00 UTC",
        "#2 · Messages · messages at least 100 · set by quinn, Mon 2026-03-02 09:00 UTC",
    ]
    await recorded.command("/privacy forget confirm:true", by="quinn", in_="managers")
    recorded.manager("ann")
    [listed] = (await recorded.command("/objective list", by="ann", in_="managers")).told("ann")
    assert listed.count("set by a member since forgotten") == 2  # the goals stay the community's
