"""Sentiment of short texts (TextBlob's pattern analyzer, offline) and recurring themes."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

POSITIVE_ABOVE = 0.1
NEGATIVE_BELOW = -0.1

_STOP_WORDS_TEXT = """
    a about above after again against all also am an and any are aren't around as at be
    because been before being below between both but by can can't cannot could couldn't did
    didn't do does doesn't doing don't done down during each even ever every few for from
    further get gets getting got had hadn't has hasn't have haven't having he he'd he'll he's
    her here here's hers herself him himself his how how's however i i'd i'll i'm i've if in
    into is isn't it it's its itself just let's like lot lots made make makes many may me
    might more most much must mustn't my myself need needs no nor not now of off often on once
    one only or other ought our ours ourselves out over own please quite rather really same
    say says shall shan't she she'd she'll she's should shouldn't since so some something
    still such than thank thanks that that's the their theirs them themselves then there
    there's these they they'd they'll they're they've thing things this those though through
    thus to too under until up upon us very via was wasn't way we we'd we'll we're we've well
    were weren't what what's when when's where where's whether which while who who's whom why
    why's will with within without won't would wouldn't yet you you'd you'll you're you've
    your yours yourself yourselves
    hello hi hey yes yeah ok okay guys everyone anyone someone think know want going
"""
STOP_WORDS = frozenset(_STOP_WORDS_TEXT.split())
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)*")
# Contracted negations, with or without the apostrophe: `isn't good` is read as `is not good`
# (TextBlob's pattern lexicon negates a word only after a separate `not`, `never` or `no`).
_NEGATION = re.compile(
    r"\b(ca|wo|sha|ai|is|are|was|were|do|does|did|has|have|had|could|would|should|must|need)"
    r"(?:n['’]t|nt)\b",
    re.IGNORECASE,
)
_IRREGULAR = {"ca": "can", "wo": "will", "sha": "shall", "ai": "is"}
# Chat markup that is not words: <@U123> mentions, <#C1|name> and <https://…> links (Slack,
# Discord), bare URLs, and :emoji: codes.
_MARKUP = re.compile(r"<[^<>\s]*>|<[@#!][^<>]*>|https?://\S+|:[a-z0-9_+-]+:", re.IGNORECASE)


@dataclass(frozen=True)
class Sentiment:
    """Polarity in [-1, 1], subjectivity in [0, 1], and a label from the polarity."""

    polarity: float
    subjectivity: float
    label: str


def score(text: str) -> Sentiment:
    """The sentiment of `text` (TextBlob's PatternAnalyzer: no corpus download needed)."""
    from textblob import TextBlob  # imported on first use: it costs ~0.3 s at start-up

    polarity, subjectivity = TextBlob(spell_out_negations(text)).sentiment
    return Sentiment(round(polarity, 4), round(subjectivity, 4), label(polarity))


def spell_out_negations(text: str) -> str:
    """`isn't`, `didn’t`, `dont`, `can't` → `is not`, `did not`, `do not`, `can not`."""

    def spelled(match: re.Match[str]) -> str:
        stem = match.group(1)
        return f"{_IRREGULAR.get(stem.lower(), stem)} not"

    return _NEGATION.sub(spelled, text)


def label(polarity: float) -> str:
    """`positive` above 0.1, `negative` below -0.1, otherwise `neutral`."""
    if polarity > POSITIVE_ABOVE:
        return "positive"
    if polarity < NEGATIVE_BELOW:
        return "negative"
    return "neutral"


def themes(texts: Iterable[str], top: int = 5) -> list[tuple[str, int]]:
    """The most frequent words and two-word phrases (no stop words) seen in ≥ 2 entries.

    Each entry counts a theme once. A word is left out when a chosen phrase holding it is
    as frequent (so `event schedule` is not followed by `event` and `schedule`).
    """
    seen: Counter[str] = Counter()
    for text in texts:
        seen.update(_terms(text))
    ranked = sorted(
        ((term, n) for term, n in seen.items() if n >= 2),
        key=lambda item: (-item[1], -item[0].count(" "), item[0]),
    )
    chosen: list[tuple[str, int]] = []
    for term, count in ranked:
        if " " not in term and any(term in phrase.split() and n >= count for phrase, n in chosen):
            continue
        chosen.append((term, count))
        if len(chosen) == top:
            break
    return chosen


def _terms(text: str) -> set[str]:
    """The content words of `text` and its two-word phrases of adjacent content words."""
    words = _WORD.findall(_MARKUP.sub(" ", text).lower().replace("’", "'"))
    keep = [_is_content(w) for w in words]
    terms = {w for w, k in zip(words, keep, strict=True) if k}
    for i in range(len(words) - 1):
        if keep[i] and keep[i + 1] and words[i] != words[i + 1]:
            terms.add(f"{words[i]} {words[i + 1]}")
    return terms


def _is_content(word: str) -> bool:
    return len(word) > 2 and not word.isdigit() and word not in STOP_WORDS
