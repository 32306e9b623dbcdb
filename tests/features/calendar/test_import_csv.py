"""CSV import: a quote left open is refused with its line instead of swallowing later rows."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import Community
from tests.features.calendar.support import MANAGER, posts


async def test_an_unclosed_quote_is_refused_with_its_line(
    community: Community, tmp_path: Path
) -> None:
    path = tmp_path / "quote.csv"
    path.write_text(
        "when,channel,type,text\n"
        "2026-03-03T09:00,general,article,fine\n"
        '2026-03-04T09:00,general,article,"oops\n'
        "2026-03-05T09:00,general,article,swallowed\n"
        "2026-03-06T09:00,general,article,also swallowed\n"
    )
    out = await community.run(f"{MANAGER}\n/calendar import file:{path}")
    assert (
        'Steward → ann (private): Nothing imported: quote.csv line 3: a quote (") in this row '
        "is never closed" in out
    )
    assert "Imported" not in out
    assert posts(community) == []


async def test_a_closed_quote_across_lines_still_imports(
    community: Community, tmp_path: Path
) -> None:
    path = tmp_path / "lines.csv"
    path.write_text(
        'when,channel,type,text\n2026-03-03T09:00,general,article,"two\nlines"\n'
        '2026-03-04T09:00,general,article,"say ""hi"""'
    )
    out = await community.run(f"{MANAGER}\n/calendar import file:{path}")
    assert "Imported 2 calendar posts from lines.csv (#1, #2)." in out
    assert [post.text for post in posts(community)] == ["two\nlines", 'say "hi"']
