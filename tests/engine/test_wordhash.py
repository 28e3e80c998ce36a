"""The vectorised word counts read words exactly as the regular expression they replace."""

import re

import numpy as np
import pytest
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from ascent.engine import wordhash
from ascent.engine.wordhash import hashed_counts

PATTERN = re.compile(r"(?u)\b[^\W\d_]{2,}\b")  # scikit-learn's token_pattern, as used before


def column(word: str) -> int:
    (found,) = hashed_counts([word]).indices
    return int(found)


def expected(text: str) -> list[int]:
    words = [w for w in PATTERN.findall(text.lower()) if w not in ENGLISH_STOP_WORDS]
    return sorted(column(w) for w in words)


def counted(matrix, row: int) -> list[int]:
    found = matrix[[row]]
    return sorted(np.repeat(found.indices, found.data.astype(int)).tolist())


def test_random_texts_are_read_as_the_pattern_reads_them():
    alphabet = list("abcdefgh XYZ019_.,-'\"\n\t") + list("éñÜß٣½“—\u00a0\u0301日本İ😀")
    rng = np.random.default_rng(1)
    texts = ["".join(rng.choice(alphabet, rng.integers(0, 61))) for _ in range(2000)]
    matrix = hashed_counts(texts)
    assert matrix.shape == (2000, 1 << 20)
    assert all(counted(matrix, i) == expected(t) for i, t in enumerate(texts))


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("Volcanoes, MAGMA and magma!", ["volcanoes", "magma", "magma"]),
        ("covid19 and h2o are no words; x is too short", ["words", "short"]),
        ("snake_case under_score", []),
        ("naïve café — «quoted» İstanbul", ["naïve", "café", "quoted", "i̇stanbul"]),
        ("año ٣٤ kilómetros٣ fin", ["año", "fin"]),  # an Arabic-Indic digit is a digit
        ("non\u00a0breaking\u2014dash “quote”", ["non", "breaking", "dash", "quote"]),
        ("日本語のテキスト", ["日本語のテキスト"]),
        ("é ü ß", []),  # one letter is no word, however many bytes it takes
        ("nul\x00inside", ["nul", "inside"]),
        ("lone \ud800 surrogate", ["lone", "surrogate"]),
        ("", []),
    ],
)
def test_words(text, words):
    assert counted(hashed_counts([text]), 0) == sorted(column(w) for w in words)
    assert counted(hashed_counts([text]), 0) == expected(text.replace("\x00", " "))


def test_stop_words_are_dropped():
    assert hashed_counts(["the and of which would"]).nnz == 0


def test_long_words_hash_by_every_byte_wherever_they_start():
    long = "pneumonoultramicroscopicsilicovolcanoconiosis"
    matrix = hashed_counts([long, f"x {long}", f"x. y {long} z", long[:-1] + "x", long[:8] + "q"])
    columns = [matrix[[i]].indices.tolist() for i in range(5)]
    assert columns[0] == columns[1] == columns[2]  # the same word at offsets 0, 2 and 5
    assert columns[3] != columns[0]  # differs in the last byte
    assert columns[4] != columns[0]  # the same first eight bytes


def test_a_huge_run_of_letters_is_one_word():
    counts = hashed_counts(["a" * 1_000_000, "b" * 1_000_000 + " orbit"])
    assert counts[[0]].nnz == 1
    assert counts[[1]].nnz == 2
    assert counts[[0]].indices.tolist() != counts[[1]].indices.tolist()


def test_rows_follow_texts_across_chunks_and_threads(monkeypatch):
    rng = np.random.default_rng(2)
    vocabulary = ["geology", "magma", "orbit", "rover", "lichen", "tundra", "plasma", "ion"]
    texts = [" ".join(rng.choice(vocabulary, rng.integers(0, 31))) for _ in range(500)]
    whole = hashed_counts(texts, threads=1)
    monkeypatch.setattr(wordhash, "CHUNK_BYTES", 200)  # about one chunk per text or two
    split = hashed_counts(texts, threads=2)
    assert (whole != split).nnz == 0
    assert all(counted(split, i) == expected(t) for i, t in enumerate(texts))


def test_tfidf_weights_are_scikit_learns():
    from sklearn.feature_extraction.text import TfidfTransformer

    from ascent.engine.affinity import _tfidf_vectors

    documents = ["Magma rises in volcanoes", "Orbits of small moons", "", "magma magma moons"]
    texts = ["Volcanoes and magma chambers", "The moons of Jupiter", "digits 123 only"]
    ours = _tfidf_vectors(documents, texts)
    counts = hashed_counts([*documents, *texts])
    theirs = TfidfTransformer(sublinear_tf=True).fit_transform(counts)
    assert np.allclose(ours[0].toarray(), theirs[: len(documents)].toarray(), atol=1e-6)
    assert np.allclose(ours[1].toarray(), theirs[len(documents) :].toarray(), atol=1e-6)
    assert ours[0][[2]].nnz == 0  # an empty text stays the zero vector


def test_the_stop_words_are_scikit_learns():
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    assert wordhash.english_stop_words() == ENGLISH_STOP_WORDS
