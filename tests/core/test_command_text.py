"""The text form of commands: `name:value` pairs, quotes, free text."""

import pytest

from bot.core.command_text import parse_command_text, pop_option
from bot.core.errors import UsageError


def test_design_example() -> None:
    words, options = parse_command_text(
        '/poll create question:"Best AMA day?" options:"Mon | Wed | Fri"'
    )
    assert words == ["poll", "create"]
    assert options == {"question": "Best AMA day?", "options": "Mon | Wed | Fri"}


def test_unquoted_value_runs_to_the_next_option() -> None:
    words, options = parse_command_text("/ask question:how do I install it? multi:true")
    assert words == ["ask"]
    assert options == {"question": "how do I install it?", "multi": "true"}


def test_curly_quotes_and_escaped_quotes() -> None:
    _, options = parse_command_text("/feedback text:“love the AMA idea” ")
    assert options == {"text": "love the AMA idea"}
    _, options = parse_command_text(r'/feedback text:"say \"hi\" now"')
    assert options == {"text": 'say "hi" now'}


def test_urls_and_times_are_not_option_names() -> None:
    _, options = parse_command_text("/calendar add when:mon 18:30 link:https://example.org/a")
    assert options == {"when": "mon 18:30", "link": "https://example.org/a"}


def test_option_names_are_case_insensitive_and_empty_values_kept() -> None:
    _, options = parse_command_text('/poll create Question:"x" options:')
    assert options == {"question": "x", "options": ""}


def test_repeated_option_is_an_error() -> None:
    with pytest.raises(UsageError, match="given twice"):
        parse_command_text("/poll create question:a question:b")


def test_missing_closing_quote_is_an_error() -> None:
    with pytest.raises(UsageError, match="closing quote"):
        parse_command_text('/poll create question:"never closed')


def test_words_after_a_quoted_value_are_an_error() -> None:
    with pytest.raises(UsageError, match="name:value"):
        parse_command_text('/poll create question:"x" stray')


@pytest.mark.parametrize(
    ("line", "value"),
    [
        (r'/feedback text:"C:\Users\me"', r"C:\Users\me"),
        (r'/feedback text:"¯\_(ツ)_/¯"', r"¯\_(ツ)_/¯"),
        (r'/feedback text:"a \\ b"', "a \\ b"),
        (r'/feedback text:"ends with a backslash \\"', "ends with a backslash \\"),
        (r"/feedback text:“curly \” inside”", "curly ” inside"),
        (r"/feedback text:C:\Users\me", r"C:\Users\me"),
    ],
)
def test_only_a_quote_or_a_backslash_is_escaped(line: str, value: str) -> None:
    _, options = parse_command_text(line)
    assert options == {"text": value}


def test_pop_option_takes_only_an_unquoted_option() -> None:
    assert pop_option('import file:"a b.csv" skip_bad:true', "file") == (
        "import skip_bad:true",
        "a b.csv",
    )
    assert pop_option('feedback text:"the file:x page"', "file") == (
        'feedback text:"the file:x page"',
        None,
    )
    assert pop_option('feedback text:"never closed file:x', "file")[1] is None
