"""Which help-channel messages open an inquiry: the question detector, on members' messages."""

import re
import time
from pathlib import Path

import pytest

from bot.features.inquiries.questions import DEFAULT_QUESTION_WORDS, is_question

MESSAGES = Path(__file__).with_name("question_messages.tsv")
REQUIRED_ACCURACY = 90.0


def labelled_messages() -> list[tuple[bool, str]]:
    """(is a question, message) for each line of the fixture; see its header for the format."""
    rows = []
    for line in MESSAGES.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        label, message, *_note = line.split("\t")
        assert label in {"question", "not"}, f"bad label in {line!r}"
        message = re.sub(r"\\(n|\\)", lambda m: "\n" if m[1] == "n" else "\\", message)
        rows.append((label == "question", message))
    return rows


def test_accuracy_on_real_world_messages() -> None:
    rows = labelled_messages()
    assert len(rows) >= 100 and {label for label, _ in rows} == {True, False}
    wrong = [(label, message) for label, message in rows if is_question(message) != label]
    total, correct = len(rows), len(rows) - len(wrong)
    pct = 100 * correct / total
    listing = "\n".join(
        f"  labelled {'question' if label else 'not'}, detected {'not' if label else 'question'}:"
        f" {message!r}"
        for label, message in wrong
    )
    print(f"\nquestion detection: {correct}/{total} = {pct:.1f}% correct")
    print(f"misclassified:\n{listing}" if wrong else "misclassified: none")
    assert pct >= REQUIRED_ACCURACY, f"{pct:.1f}% correct, misclassified:\n{listing}"


def test_the_default_words_are_the_issues_list() -> None:
    assert DEFAULT_QUESTION_WORDS == (
        "how", "what", "why", "where", "when", "who", "which", "can", "could", "does", "do",
        "is", "are", "should", "anyone", "any idea", "help",
    )  # fmt: skip


@pytest.mark.parametrize(
    "text",
    [
        "How do I run the tests",
        "HOW DO I RUN THE TESTS",
        "any idea why the build is red",
        "Any   Idea when 2.0 ships",
        "hi all, how do I reset my token",
        "Hello! Is there a recording",
        "I tried X. Does anyone know why?",
        "does it work on windows? 🙏",
        "is this a bug (or expected?)",
        "any clue? :sweat_smile:",
    ],
)
def test_questions(text: str) -> None:
    assert is_question(text)


@pytest.mark.parametrize(
    "text",
    [
        "thanks!",
        "ok",
        "lol",
        "How cool is that!",
        "what a great talk!",
        "Can't reproduce on 3.12",
        "howdy",
        "which_python = sys.executable",
        "",
        "   ",
        "?",
    ],
)
def test_not_questions(text: str) -> None:
    assert not is_question(text)


def test_configured_words_replace_the_defaults() -> None:
    words = ("kann", "weiss jemand")
    assert is_question("Kann mir jemand helfen", words)
    assert is_question("Hallo! Weiss  jemand, wann das Treffen ist", words)
    assert not is_question("How do I run the tests", words)
    assert is_question("How do I run the tests?", words), "a question mark needs no word"
    assert not is_question("How do I run the tests", ())


def test_configured_words_are_lower_cased_and_stripped() -> None:
    assert is_question("Anyone around", ["  ANYONE "])
    assert not is_question("Anyone around", ["  ", ""])


def test_a_phrase_matches_as_a_whole() -> None:
    assert is_question("any idea why pip hangs")
    assert not is_question("any ideal setup is fine", ("any idea",))
    assert not is_question("many ideas were shared tonight", ("any idea",))


def test_code_and_links_are_not_judged() -> None:
    assert not is_question("```\nhow_do_i = 'what?'\nprint(how_do_i)\n```")
    assert not is_question("`SELECT * FROM t WHERE id = ?`")
    assert not is_question("https://example.com/faq?q=how+do+i")
    assert not is_question("<https://example.com/faq?q=why|https://example.com/faq?q=why>")
    assert not is_question("<@U123> <#C1|help> :wave:")
    assert is_question("```\nboom()\n```\nwhy does this fail")
    assert is_question("did you see https://example.com/page?"), (
        "the ? after a link is the member's"
    )


def test_mentions_come_off_the_start() -> None:
    for mention in ("<@U123>", "<@123>", "<@!123>", "@maria", "<!here>"):
        assert is_question(f"{mention} can you check my PR"), mention
    assert not is_question("<@U123> thanks, works now")


def test_statements_that_open_with_a_question_word() -> None:
    assert not is_question("Should be fixed now")
    assert not is_question("Can confirm, same here")
    assert not is_question("Do not push to main")
    assert not is_question("When I run pytest I get an ImportError")
    assert not is_question("When: Thursday 6pm")
    assert is_question("Should we pin the version")
    assert is_question("When do I get the invite")


def test_quoted_lines_are_someone_elses() -> None:
    assert not is_question("&gt; how do I reset my password\nFrom the profile page.")
    assert not is_question(">>> is the meetup tomorrow?\nis what Sam asked, yes it is")
    assert is_question("> use the config file\nwhich one?")


def test_fast_enough_for_every_message() -> None:
    rows = [message for _, message in labelled_messages()]
    start = time.perf_counter()
    for message in rows * 10:
        is_question(message)
    per_message = (time.perf_counter() - start) / (len(rows) * 10)
    assert per_message < 0.001, f"{per_message * 1e6:.0f} µs per message"
