"""Issue 34's acceptance: the hostile corpus holds at least 300 vectors beyond the 165 it had,
covering each of the issue's seven classes; every vector is asserted by the test beside its
corpus (the validator, the real build, the CLI as a subprocess, or Chromium)."""

from __future__ import annotations

from collections import Counter

from tests import hostile_cli, hostile_corpus, hostile_markup, hostile_pages

#: The corpus before issue 34 (the validator's data vectors and the first markup vectors).
BEFORE = 165
CLASSES = {
    "1-markup",
    "2-exhaustion",
    "3-not-a-file",
    "4-schema",
    "5-cli",
    "6-pages",
    "7-validate-then-build",
}


def corpus() -> Counter[str]:
    every = (
        *hostile_corpus.VECTORS,
        *hostile_markup.MARKUP_VECTORS,
        *hostile_cli.VECTORS,
        *hostile_pages.VECTORS,
    )
    return Counter(vector.cls for vector in every)


def test_the_corpus_grew_by_at_least_300_vectors() -> None:
    assert sum(corpus().values()) - BEFORE >= 300


def test_every_class_of_the_issue_has_vectors() -> None:
    counts = corpus()
    assert set(counts) >= CLASSES, CLASSES - set(counts)
    assert all(counts[name] >= 20 for name in CLASSES), counts


def test_names_are_unique_within_each_corpus() -> None:
    for vectors in (
        hostile_corpus.VECTORS,
        hostile_markup.MARKUP_VECTORS,
        hostile_cli.VECTORS,
        hostile_pages.VECTORS,
    ):
        names = [vector.name for vector in vectors]
        assert len(names) == len(set(names))
