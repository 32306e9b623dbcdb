"""Sentiment of known sentences (offline, no NLTK download) and recurring themes."""

import json
import re
import time
from pathlib import Path

import nltk
import pytest

from bot.text.sentiment import STOP_WORDS, label, score, themes


@pytest.fixture(autouse=True)
def no_nltk_downloads(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail loudly if anything tries to fetch or look up an NLTK corpus."""

    def refuse(*args, **kwargs):
        raise AssertionError(f"NLTK corpus access attempted: {args!r}")

    monkeypatch.setattr(nltk, "download", refuse)
    monkeypatch.setattr(nltk.data, "find", refuse)
    monkeypatch.setattr(nltk.data, "load", refuse)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I love this community, everyone is so helpful and kind!", "positive"),
        ("The new onboarding guide is excellent.", "positive"),
        ("This is terrible. The bot is broken and the event was awful.", "negative"),
        ("I hate how slow and boring the meetings are.", "negative"),
        ("The meetup is on Tuesday at the library.", "neutral"),
        ("Please send the slides by email.", "neutral"),
    ],
)
def test_known_sentences(text: str, expected: str) -> None:
    result = score(text)
    assert result.label == expected
    assert -1.0 <= result.polarity <= 1.0 and 0.0 <= result.subjectivity <= 1.0


@pytest.mark.parametrize(
    "text",
    [
        "It isn't good.",
        "I didn't enjoy the talk.",
        "I don't love it.",
        "I dont love it",
        "The stream wasn’t great.",
        "The moderators aren't friendly.",
        "The event wasn't fun.",
    ],
)
def test_a_contracted_negation_is_read_as_negative(text: str) -> None:
    """`isn't good` reads like `is not good`, however the member wrote the apostrophe."""
    assert score(text).label == "negative"


def test_a_contracted_negation_of_a_negative_word_softens_it() -> None:
    assert score("It isn't bad.").polarity == score("It is not bad.").polarity > 0


def test_polarity_and_subjectivity_figures() -> None:
    assert score("I love this community, it is wonderful!").polarity > 0.5
    assert score("This is terrible and awful.").polarity < -0.5
    neutral = score("The meeting is on Tuesday.")
    assert neutral.polarity == 0.0 and neutral.subjectivity == 0.0
    assert score("Great!").subjectivity > 0.5  # an opinion, not a fact


def test_label_thresholds() -> None:
    assert label(0.11) == "positive"
    assert label(0.1) == "neutral"
    assert label(0.0) == "neutral"
    assert label(-0.1) == "neutral"
    assert label(-0.11) == "negative"


def test_themes_counts_words_and_phrases_once_per_entry() -> None:
    entries = [
        "The event schedule was confusing",
        "Event schedule changes too often and I missed the AMA",
        "More AMA sessions please",
        "Loved the AMA with the founders",
        "pizza pizza pizza pizza",  # repeated within one entry: counts once, so not a theme
        "event schedule please",
    ]
    assert themes(entries) == [("event schedule", 3), ("ama", 3)]  # phrases first on ties


def test_themes_leave_out_stop_words_and_single_entry_terms() -> None:
    entries = ["It is what it is, and we are where we are", "We are here and it is so", "Unique"]
    assert themes(entries) == []
    assert {"the", "and", "it's", "don't", "please", "thanks"} <= STOP_WORDS


def test_themes_keep_a_word_more_frequent_than_its_phrase() -> None:
    entries = ["voice chat is laggy", "voice chat crashed", "voice notes please", "voice!"]
    assert themes(entries) == [("voice", 4), ("voice chat", 2)]


def test_themes_top_limit_and_tie_order() -> None:
    entries = ["alpha beta gamma delta epsilon zeta"] * 2
    found = themes(entries, top=3)
    assert len(found) == 3
    assert all(count == 2 and " " in term for term, count in found)  # phrases first on ties
    assert found == sorted(found)


def test_themes_handle_curly_apostrophes_and_case() -> None:
    entries = ["Don’t change the Discord bot", "don't break the discord bot"]
    assert themes(entries) == [("discord bot", 2)]


def test_the_guard_catches_corpus_use() -> None:
    """The noun-phrase extractor needs an NLTK corpus: the guard above must catch it."""
    from textblob import TextBlob

    with pytest.raises(AssertionError, match="NLTK corpus access attempted"):
        _ = TextBlob("The big friendly community meetup").noun_phrases


def test_themes_ignore_chat_markup() -> None:
    entries = [
        "<@U03TEPYRM2P> the docs link <https://example.org/a|here> is broken :sob:",
        "docs link broken again, see https://example.org/b and <#C03TEQQS9NF|all-week1>",
    ]
    assert themes(entries) == [("docs link", 2), ("broken", 2)]


REALDATA = Path(__file__).resolve().parents[3] / "shared" / "realdata" / "10academy-slack"


@pytest.mark.skipif(not REALDATA.exists(), reason="the shared real-data fixture is absent")
def test_themes_on_a_real_slack_channel() -> None:
    """8,000 real messages (lowercased upstream): quick, and no ids, links or stop words."""
    texts = [
        message["text"]
        for day in sorted((REALDATA / "all-community-building").glob("*.json"))
        for message in json.loads(day.read_text())
        if message.get("text") and message.get("subtype") is None
    ]
    assert len(texts) > 5000
    started = time.perf_counter()
    found = themes(texts, top=10)
    assert time.perf_counter() - started < 2.0
    assert len(found) == 10
    for term, count in found:
        assert count >= 2
        assert not any(part in STOP_WORDS for part in term.split())
        assert not re.search(r"u0[0-9a-z]{6,}|http|<|>", term), term
