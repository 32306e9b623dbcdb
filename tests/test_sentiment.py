"""Sentiment of known sentences (offline, no NLTK download) and recurring themes."""

import nltk
import pytest

from bot.sentiment import STOP_WORDS, label, score, themes


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
