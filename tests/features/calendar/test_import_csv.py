"""CSV import: a quote left open is refused with its line instead of swallowing later rows."""

from __future__ import annotations

from tests.features.calendar.support import posts
from tests.features.calendar.test_import import import_file
from tests.recording import Recorded


async def test_an_unclosed_quote_is_refused_with_its_line(recorded: Recorded) -> None:
    data = (
        b"when,channel,type,text\n"
        b"2026-03-03T09:00,general,article,fine\n"
        b'2026-03-04T09:00,general,article,"oops\n'
        b"2026-03-05T09:00,general,article,swallowed\n"
        b"2026-03-06T09:00,general,article,also swallowed\n"
    )
    [reply] = await import_file(recorded, "quote.csv", data)
    assert reply.private_to == recorded.member("ann")
    assert reply.plain.startswith(
        'Nothing imported: quote.csv line 3: a quote (") in this row is never closed'
    )
    assert posts(recorded) == []


async def test_a_closed_quote_across_lines_still_imports(recorded: Recorded) -> None:
    data = (
        b'when,channel,type,text\n2026-03-03T09:00,general,article,"two\nlines"\n'
        b'2026-03-04T09:00,general,article,"say ""hi"""'
    )
    said = await import_file(recorded, "lines.csv", data)
    assert said.posted_in("managers")[0].startswith(
        "Imported 2 calendar posts from lines.csv (#1, #2)."
    )
    assert [post.text for post in posts(recorded)] == ["two\nlines", 'say "hi"']
