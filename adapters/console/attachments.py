"""The console's `file:PATH` option: a local file sent as an attachment."""

from __future__ import annotations

from pathlib import Path

from bot.core.command_text import pop_option
from bot.core.events import Attachment


def extract_attachment(body: str) -> tuple[str, tuple[Attachment, ...]]:
    """Turn a console-only `file:PATH` option into an attachment, as a platform upload would.

    Only an unquoted `file:` option counts: `text:"the file:report page"` is text.
    """
    rest, value = pop_option(body, "file")
    if value is None:
        return body, ()
    path = Path(value).expanduser()
    return rest, (Attachment(path.name, path.read_bytes()),)
