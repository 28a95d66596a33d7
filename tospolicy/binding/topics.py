"""Watched topics: what a block of the text speaks of, as data.

A pack's `topics:` lists topics, each with a name, a label, a severity (that
of DIFF011 for it) and, per language, the words or phrases that reveal it.
A phrase is matched on the normalised text, as whole words: a word `*`
stands for any one word, `**` for up to four words, a word ending in `*`
for any word it begins (`train* ** model*` finds "train our models" and
"training Google's AI models").
Every language's phrases are looked for in every text: a text's language is
not guessed, and a French policy quoting an English term is still read.

Phrases are escaped before they are compiled (nothing a pack writes is a
regular expression), so each search is linear in the block.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from tospolicy.binding.normalise import normalise

MAX_WORDS_SHOWN = 5
# `**`: up to four words (bounded, so a search stays linear in the block).
GAP = r"(?:[\w'-]+,? ){0,4}"


@dataclass(unsafe_hash=True)
class Topic:
    name: str
    label: str
    severity: str
    phrases: dict[str, tuple[str, ...]]  # language -> phrases
    pack: str = ""
    line: int = 0  # where the pack defines it

    def reveal(self, normalised: str) -> list[str]:
        """The distinct words of `normalised` that reveal this topic, in order."""
        pattern = _pattern(tuple(phrase for words in self.phrases.values() for phrase in words))
        if pattern is None:
            return []
        found: list[str] = []
        for match in pattern.finditer(normalised):
            if match.group(0) not in found:
                found.append(match.group(0))
        return found


def _word(word: str) -> str:
    if word == "*":
        return r"[\w'-]+"
    if word.endswith("*"):
        return re.escape(word[:-1]) + r"[\w'-]*"
    return re.escape(word)


def _phrase_pattern(words: list[str]) -> str:
    pattern = ""
    for number, word in enumerate(words):
        if word == "**":
            pattern += GAP
            continue
        pattern += _word(word) + (" " if number < len(words) - 1 else "")
    return pattern


@lru_cache(maxsize=1024)
def _pattern(phrases: tuple[str, ...]) -> re.Pattern | None:
    """`compile_phrases`, once per set of phrases and only when a text is
    read: every run loads the packs' topics, few bind a text."""
    return compile_phrases(phrases)


def compile_phrases(phrases) -> re.Pattern | None:
    """One pattern for the phrases, matching whole words only."""
    alternatives = [_phrase_pattern(phrase.split())
                    for phrase in sorted({normalise(phrase) for phrase in phrases},
                                         key=lambda p: (-len(p), p))]
    alternatives = [pattern for pattern in alternatives if pattern.strip()]
    if not alternatives:
        return None
    return re.compile(r"(?<![\w])(?:" + "|".join(alternatives) + r")(?![\w])")


# Where a phrase may start: a run of letters and digits (so `ia` is found in
# `l'ia`, and `third` in `third-party`).
_WORD = re.compile(r"\w+")


class _Index:
    """Every phrase of a set of topics by its first word, so that a block is
    read once, word by word, and a phrase is tried only where its first word
    is (one alternation a topic, tried at every character, took a quarter of
    a second on a 200 kB policy)."""

    def __init__(self, topics):
        self.exact: dict[str, list] = {}  # first word -> [(topic number, pattern)]
        self.stems: dict[str, list] = {}  # first two letters -> [(stem, topic number, pattern)]
        self.anywhere: list = []  # phrases that start with a wildcard
        for number, topic in enumerate(topics):
            for phrase in {normalise(p) for words in topic.phrases.values() for p in words}:
                words = phrase.split()
                if not words or not _phrase_pattern(words).strip():
                    continue
                pattern = re.compile(_phrase_pattern(words) + r"(?![\w])")
                first = _WORD.match(words[0])
                if words[0] in ("*", "**") or first is None:
                    # Not at a word's start: searched through the block.
                    self.anywhere.append((number, re.compile(r"(?<![\w])" + pattern.pattern)))
                elif first.group(0) == words[0]:
                    self.exact.setdefault(first.group(0), []).append((number, pattern))
                else:  # `train*`, `third-part*`, `a.i.`: its first letters, then the pattern
                    stem = first.group(0)
                    self.stems.setdefault(stem[:2], []).append((stem, number, pattern))

    def reveal(self, normalised: str) -> dict[int, list[str]]:
        found: dict[int, list[str]] = {}

        def record(number, match):
            if match is not None:
                words = found.setdefault(number, [])
                if match.group(0) not in words:
                    words.append(match.group(0))

        for word in _WORD.finditer(normalised):
            text, start = word.group(0), word.start()
            for number, pattern in self.exact.get(text, ()):
                record(number, pattern.match(normalised, start))
            for key in (text[:2], text[:1]) if len(text) > 1 else (text,):
                for stem, number, pattern in self.stems.get(key, ()):
                    if text.startswith(stem):
                        record(number, pattern.match(normalised, start))
        for number, pattern in self.anywhere:
            for match in pattern.finditer(normalised):
                record(number, match)
        return {number: found[number] for number in sorted(found)}


_INDEXES: dict[tuple, _Index] = {}


def make_topic(name: str, label: str, severity: str, phrases: dict, pack: str = "",
               line: int = 0) -> Topic:
    phrases = {language: tuple(words) for language, words in phrases.items()}
    return Topic(name, label, severity, phrases, pack, line)


def topics_from_data(entries, pack: str = "") -> list[Topic]:
    """Topics as a pack (or the cache) writes them down."""
    return [make_topic(entry["name"], entry.get("label", entry["name"]),
                       entry.get("severity", "warning"), entry.get("words") or {}, entry.get("pack", pack),
                       entry.get("line", 0))
            for entry in entries or ()]


def topics_to_data(topics: list[Topic]) -> list[dict]:
    return [{"name": topic.name, "label": topic.label, "severity": topic.severity,
             "words": {language: list(words) for language, words in topic.phrases.items()},
             "pack": topic.pack, "line": topic.line} for topic in topics]


@dataclass(unsafe_hash=True)
class Revealed:
    """A topic a block speaks of, and the words that showed it."""

    topic: Topic
    words: tuple[str, ...]

    def describe(self) -> str:
        words = ", ".join(f"'{word}'" for word in self.words[:MAX_WORDS_SHOWN])
        more = len(self.words) - MAX_WORDS_SHOWN
        return f"{self.topic.label} ({words}{f' and {more} more' if more > 0 else ''})"


def revealed(topics, normalised: str) -> list[Revealed]:
    """Every topic `normalised` speaks of, in the topics' order."""
    topics = tuple(topics)
    key = tuple(id(topic) for topic in topics)
    index = _INDEXES.get(key)
    if index is None:
        _INDEXES.clear()  # one set of topics in use at a time
        index = _INDEXES[key] = _Index(topics)
    found = index.reveal(normalised)
    return [Revealed(topics[number], tuple(found[number])) for number in sorted(found)]
