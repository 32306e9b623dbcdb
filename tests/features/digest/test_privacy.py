"""The digest never names a member who asked not to be, and forgets one who is erased."""

from __future__ import annotations

import json
from datetime import timedelta

from sqlmodel import select

from bot.features.digest.store import DigestRecord
from tests.conftest import START
from tests.recording import Recorded


async def talk(recorded: Recorded) -> None:
    for name, times in (("ana", 5), ("ben", 3), ("cy", 1)):
        for n in range(times):
            await recorded.post(f"note {n} from {name}", by=name)


def kept(recorded: Recorded) -> dict:
    rows = recorded.app.store.call(lambda s: s.exec(select(DigestRecord)).all())
    return {row.week: row.figures for row in rows}


async def test_a_hidden_member_counts_but_is_never_named(recorded: Recorded) -> None:
    await talk(recorded)
    said = await recorded.command("/privacy hide-me", by="ana")
    assert any("never name you" in text for text in said.told("ana"))
    [posted] = (await recorded.advance(START + timedelta(days=7) - recorded.clock.now())).public(
        "digest"
    )
    assert posted.fields["Messages"] == "9 · –"  # ana's five still count
    assert "ana ·" not in posted.plain
    assert "1. ben · 3 (3 messages)" in posted.plain and "2. cy · 1 (1 message)" in posted.plain
    stored = json.dumps(kept(recorded))
    assert '"name": "ana"' not in stored


async def test_a_member_erased_later_leaves_the_kept_digests(recorded: Recorded) -> None:
    await talk(recorded)
    await recorded.advance(START + timedelta(days=7) - recorded.clock.now())
    names = [c["name"] for c in kept(recorded)["2026-W10"]["contributors"]]
    assert names == ["ana", "ben", "cy"]
    exported = await recorded.command("/privacy export", by="ben")
    [data] = [json.loads(p.message.file.data) for p in exported if p.message.file]
    assert data["digest"] == {"named_top_contributor_in_weeks": ["2026-W10"]}
    await recorded.command("/privacy forget confirm:true", by="ben")
    names = [c["name"] for c in kept(recorded)["2026-W10"]["contributors"]]
    assert names == ["ana", "cy"]
    recorded.manager("mia")
    said = await recorded.command("/digest preview week:2026-W10", by="mia", in_="managers")
    [shown] = [p for p in said if p.private]
    assert "ben ·" not in shown.plain and "cy ·" in shown.plain
