"""Whether a member's message reads as a question: what opens an inquiry in a help channel.

Only the words the member wrote are judged: code, links, mentions, channel links, emoji and
quoted lines are dropped first. The message is a question when one of its sentences

- ends with "?" (also before a closing bracket, a quote or an emoji: "any idea? 🙏"), or
- starts with a question word or phrase ("how", "any idea"), also after a greeting
  ("hi all, how do I …", "Hello! Is there …"), unless the opening reads as a statement:
  an exclamation ("What a talk", "How cool is that!"), a label ("When: 6pm"), a dropped
  subject ("Should be fixed now", "Can confirm") or a clause or a title ("When I run it, …",
  "Why you should pin versions"). "can't", "doesn't" and "should've" are not "can", "does"
  and "should"; "what's", "who's" and "how'd" are "what", "who" and "how".
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from bot.core.config import QUESTION_WORDS

DEFAULT_QUESTION_WORDS: tuple[str, ...] = QUESTION_WORDS  # [inquiries] question_words

# ---- what is not the member's own text ---------------------------------------------------
_CODE_BLOCK = re.compile(r"```.*?(?:```|\Z)", re.DOTALL)  # an unclosed fence runs to the end
_INLINE_CODE = re.compile(r"`[^`\n]*`")
_LINK = re.compile(r"<(?:https?|mailto|ftp):[^<>|]*(?:\|([^<>]*))?>")  # Slack <url|label>
# mentions, special mentions (<!here>), channel links, custom emoji, command mentions, timestamps
_MARKUP = re.compile(r"<(?:@|#|!|a?:\w+:|/|t:)[^<>]*>")
_QUOTE_TO_END = re.compile(r"^>>>.*", re.DOTALL | re.MULTILINE)  # Discord's block quote
_QUOTED_LINE = re.compile(r"^[ \t]*>.*$", re.MULTILINE)
_URL = re.compile(r"\b(?:https?://|www\.)[^\s<>]*[^\s<>.,;:!?)\]'\"]")  # not the "?" after it
_AT_NAME = re.compile(r"(?<![\w@.])@[\w.\-]+")
_SHORTCODE = re.compile(r"(?<!\w)(?::[\w+\-]+:)+(?!\w)")  # :smile:, :+1::skin-tone-2:
_EMOJI = re.compile(
    "[\u2190-\u21ff\u2300-\u23ff\u2460-\u27bf\u2900-\u297f\u2b00-\u2bff\u3030\u303d"
    "\u3297\u3299\ufe0f\u200d\u20e3\U0001f000-\U0001faff]"
)

# ---- how the text is read --------------------------------------------------------------------
_CLOSERS = " \t)]}\"'”’»*_~|"  # may follow the "?" or "!" that ends a sentence
_ASKED = re.compile(r"\?[?!.)\]}\"'”’»*_~|]*(?:\s|$)")  # a "?" that ends a sentence or line
_SENTENCE_BREAK = re.compile(r"(?<=[.!?…:])\s+|\s*\n\s*|\s+[-–—]+\s+")
_LEAD_IN = re.compile(  # a greeting or a filler before the real opening of a sentence
    r"(?:(?:hi|hello|hey|heya|hiya|yo|howdy|greetings|morning|good\s+(?:morning|afternoon|evening))"
    r"(?:(?:\s+(?:all|everyone|everybody|folks|guys|team|there|y'all|people|friends))+"
    # or a name, capitalised, before a comma: "Hi Anna," "Hello Python people!"
    r"|\s+(?-i:[A-Z])[^\s,!.:;?]*(?:\s+[^\s,!.:;?]+)?(?=\s*[,!:;]))?"
    r"|btw|also|so|ok|okay|anyway|quick\s+q(?:uestion)?|please|pls|plz)\b"
    r"[\s,!.:;]*",
    re.IGNORECASE,
)
_PUNCTUATION_FIRST = re.compile(r"[^\w']+")
_NEXT_WORD = re.compile(r"\s*(\w*)")  # "you're" is "you"

_WH_WORDS = frozenset({"how", "what", "why", "where", "when", "who", "which"})
_AUXILIARIES = frozenset({"can", "could", "do", "does", "is", "are", "should"})
_PRONOUNS = frozenset({"i", "you", "we", "they", "he", "she"})
# an opening followed by one of these words is a statement, not a question
_STATEMENT_AFTER: dict[str, frozenset[str]] = {
    **dict.fromkeys(_WH_WORDS, _PRONOUNS),  # "When I run pytest, …", "Why you should …"
    "what": _PRONOUNS | {"a", "an"},  # "What a great talk"
    **dict.fromkeys(_AUXILIARIES, frozenset({"be", "not", "confirm", "also"})),  # "Should be …"
}
_EXCLAIMED = frozenset({"how", "what"})  # "How cool is that!", "What a day!"


def is_question(text: str, words: Sequence[str] = DEFAULT_QUESTION_WORDS) -> bool:
    """Whether `text` reads as a question: a sentence ending with "?", or one opening with
    one of `words` (lower case; phrases allowed) that does not read as a statement."""
    said = _members_words(text)
    if not re.search(r"[^\W\d_]", said):
        return False
    if _ASKED.search(said):
        return True
    opening = _opening(tuple(" ".join(word.lower().split()) for word in words))
    return opening is not None and any(
        _asks(sentence, opening) for sentence in _SENTENCE_BREAK.split(said)
    )


def _members_words(text: str) -> str:
    """`text` without code, links, mentions, channel links, emoji and quoted lines."""
    text = text.replace("’", "'")
    text = _INLINE_CODE.sub(" ", _CODE_BLOCK.sub("\n", text))
    text = _MARKUP.sub(" ", _LINK.sub(lambda link: link[1] or " ", text))
    text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")  # Slack's
    text = _QUOTED_LINE.sub("", _QUOTE_TO_END.sub("", text))
    for pattern in (_URL, _AT_NAME, _SHORTCODE, _EMOJI):
        text = pattern.sub(" ", text)
    return text.strip()


@lru_cache(maxsize=32)
def _opening(words: tuple[str, ...]) -> re.Pattern[str] | None:
    """A pattern for a sentence opening with one of `words`, a whole word or phrase."""
    phrases = sorted({word for word in words if word}, key=len, reverse=True)
    if not phrases:
        return None
    either = "|".join(r"\s+".join(map(re.escape, phrase.split())) for phrase in phrases)
    return re.compile(
        rf"(?P<word>{either})(?P<contraction>'(?:s|re|d|ll))?(?![\w'])(?P<rest>.*)",
        re.IGNORECASE | re.DOTALL,
    )


def _asks(sentence: str, opening: re.Pattern[str]) -> bool:
    """Whether `sentence` opens, after any greeting, with a question word that asks."""
    start = _PUNCTUATION_FIRST.match(sentence)
    sentence = sentence[start.end() :] if start else sentence
    for _ in range(3):  # "Hi all, so …"
        lead_in = _LEAD_IN.match(sentence)
        if not lead_in:
            break
        sentence = sentence[lead_in.end() :]
    found = opening.match(sentence)
    if not found:
        return False
    word = " ".join(found["word"].lower().split())
    rest = found["rest"]
    if word in _EXCLAIMED and sentence.rstrip(_CLOSERS).endswith("!"):
        return False
    if found["contraction"]:
        return True
    next_word = _NEXT_WORD.match(rest)[1].lower()
    return not rest.startswith(":") and next_word not in _STATEMENT_AFTER.get(word, ())
