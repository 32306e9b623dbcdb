"""Reading calendar posts from CSV: a header row naming the columns, then one post a row.

Columns `when, channel, type, title, text, link, repeat` in any order (`when`, `channel` and
`type` are required); comma, semicolon or tab separated.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Collection

from bot.features.calendar.import_rows import ImportFileError, Row

COLUMNS = ("when", "channel", "type", "title", "text", "link", "repeat")
REQUIRED = ("when", "channel", "type")
END = "\x00end of file\x00"  # read as a row of its own unless a quote is left open


def csv_rows(name: str, text: str, optional: Collection[str] = ()) -> list[Row]:
    """The rows of a CSV file; raise ImportFileError when it is not valid CSV.

    The `optional` required columns may be left out (the file's defaults give them).
    """
    header_line = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = max(",;\t", key=lambda d: len(set(_cells(header_line, d)) & set(COLUMNS)))
    reader = csv.reader(io.StringIO(f"{text}\n{END}", newline=""), delimiter=delimiter)
    header: list[str] | None = None
    rows: list[Row] = []
    while True:
        line = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raise ImportFileError(f"{name} line {line}: not valid CSV ({exc}).") from None
        if cells == [END]:
            break
        _check_quotes_closed(name, line, cells)
        if not any(cell.strip() for cell in cells):
            continue
        if header is None:
            header = _header(name, cells, optional)
            continue
        rows.append(_csv_row(line, header, cells))
    return rows


def _check_quotes_closed(name: str, line: int, cells: list[str]) -> None:
    """A quote left open swallows every later row into one cell: refuse the file there."""
    if cells and cells[-1].endswith(END):
        raise ImportFileError(
            f'{name} line {line}: a quote (") in this row is never closed, so every line '
            "after it would be read into one cell. Close the quote or remove it."
        )


def _csv_row(line: int, header: list[str], cells: list[str]) -> Row:
    """One CSV row; columns without a name (Excel's trailing `;;`) must stay empty."""
    if len(cells) != len(header):
        return Row(line, {}, f"{len(cells)} fields; the header has {len(header)}.")
    for number, (column, cell) in enumerate(zip(header, cells, strict=True), 1):
        if not column and cell.strip():
            return Row(
                line,
                {},
                f"{cell.strip()!r} is in column {number}, which has no name in the first line.",
            )
    return Row(line, {column: cell for column, cell in zip(header, cells, strict=True) if column})


def _cells(line: str, delimiter: str) -> list[str]:
    return [cell.strip().lower() for cell in line.split(delimiter)]


def _header(name: str, cells: list[str], optional: Collection[str]) -> list[str]:
    header = [cell.strip().lower() for cell in cells]
    unknown = [cell for cell in header if cell and cell not in COLUMNS]
    missing = [column for column in REQUIRED if column not in header and column not in optional]
    if unknown or missing:
        problem = f"unknown column {unknown[0]!r}" if unknown else f"no {missing[0]!r} column"
        raise ImportFileError(
            f"{name}: the first line must name the columns ({', '.join(COLUMNS)}); "
            f"{problem}. when, channel and type are required (channel and type may instead "
            "be given for the whole file: channel:… type:…, or --channel --type)."
        )
    return header
