"""Neutral markup as each platform writes it, and member text that cannot fake or break it."""

from __future__ import annotations

import pytest

from bot.core.capabilities import Dialect
from bot.core.markup import (
    BOLD,
    END,
    bold,
    channel_mention,
    code,
    italic,
    link,
    literal,
    mention,
    plain,
    render,
)

SAMPLE = (
    f"{bold('Poll closed')}: {italic('Best day?')} — {mention('123', 'ann')} in "
    f"{channel_mention('456', 'general')}, run {code('/poll results id:1')}, "
    f"see {link('https://example.org/r', 'the results')}"
)


def test_plain_reads_as_a_terminal_shows_it() -> None:
    assert plain(SAMPLE) == (
        "Poll closed: Best day? — @ann in #general, run `/poll results id:1`, "
        "see the results (https://example.org/r)"
    )


def test_discord_markdown() -> None:
    assert render(SAMPLE, Dialect.DISCORD) == (
        "**Poll closed**: *Best day?* — <@123> in <#456>, run `/poll results id:1`, "
        "see [the results](https://example.org/r)"
    )


def test_slack_mrkdwn() -> None:
    assert render(SAMPLE, Dialect.SLACK) == (
        "*Poll closed*: _Best day?_ — <@123> in <#456>, run `/poll results id:1`, "
        "see <https://example.org/r|the results>"
    )


def test_a_link_without_a_label_is_its_url() -> None:
    url = "https://example.org"
    assert [render(link(url), d) for d in Dialect] == [url, url, f"<{url}>"]


def test_slack_escapes_control_characters_in_member_text() -> None:
    text = f"{bold('Q&A <b>')} from <@U1> & <!channel>"
    assert render(text, Dialect.SLACK) == (
        "*Q&amp;A &lt;b&gt;* from &lt;@U1&gt; &amp; &lt;!channel&gt;"
    )


def test_slack_bold_keeps_its_asterisks_balanced() -> None:
    assert render(bold("5 * 3"), Dialect.SLACK) == "*5 ∗ 3*"


def test_discord_escapes_markdown_in_member_text_but_not_urls_or_code() -> None:
    text = "my_name *wow* <@1> @everyone ](x) `a_b` https://e.org/a_b\n> quoted"
    assert render(text, Dialect.DISCORD) == (
        "my\\_name \\*wow\\* \\<@1> @\u200beveryone \\](x) `a_b` https://e.org/a_b\n\\> quoted"
    )


def test_a_backtick_cannot_end_a_code_span() -> None:
    assert [render(code("a`b"), d) for d in Dialect] == ["`aˋb`"] * 3


def test_a_link_target_cannot_end_the_link() -> None:
    tricky = link("https://e.org/a) b|c", "x] y")
    assert render(tricky, Dialect.DISCORD) == "[x\\] y](https://e.org/a%29%20b|c)"
    assert render(tricky, Dialect.SLACK) == "<https://e.org/a) b%7Cc|x] y>"


def test_spaces_go_outside_the_marks() -> None:
    text = f"a{bold(' b ')}c"
    assert render(text, Dialect.DISCORD) == "a **b** c"
    assert render(text, Dialect.SLACK) == "a *b* c"


def test_nested_spans() -> None:
    text = bold(f"see {link('https://e.org', 'docs')}")
    assert render(text, Dialect.DISCORD) == "**see [docs](https://e.org)**"
    assert render(text, Dialect.SLACK) == "*see <https://e.org|docs>*"
    assert plain(text) == "see docs (https://e.org)"


def test_markup_characters_a_member_typed_are_not_markup() -> None:
    name = f"{BOLD}eve{END}"
    assert literal(name) == "eve"
    assert render(mention("9", name), Dialect.SLACK) == "<@9>"
    assert plain(mention("9", name)) == "@eve"
    assert plain(f"x{END}y{BOLD}z") == "xyz"  # unbalanced: dropped, the words kept


def test_a_mention_without_a_platform_id_is_the_name() -> None:
    assert render(mention("not an id", "ann"), Dialect.DISCORD) == "@ann"
    assert render(mention("<!here>", "x"), Dialect.SLACK) == "@x"


@pytest.mark.parametrize("dialect", list(Dialect))
def test_text_without_markup_is_unchanged_in_plain_words(dialect: Dialect) -> None:
    assert render("Poll 1 is open.", dialect) == "Poll 1 is open."
