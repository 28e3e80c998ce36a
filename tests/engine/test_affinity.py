"""Affinity from text and tags, and conflicts found from data."""

from __future__ import annotations

import numpy as np
import pytest

from ascent.engine import affinity as affinity_module
from ascent.engine.affinity import (
    AffinityError,
    MemoryEmbeddingCache,
    ReviewerProfile,
    affinity_matrix,
    application_document,
    best_matches,
    resolve_method,
    semantic_available,
    tag_coverage,
)
from ascent.engine.astronaut import FORM
from ascent.engine.conflicts import conflict_pairs, detect_conflicts


def test_document_holds_text_and_option_labels_but_not_skipped_fields():
    answers = {
        "full_name": "Ada Example",
        "statement": "I study volcanoes on Mars.",
        "degrees": [{"level": "master", "field": "geology", "institution": "U", "year": 2012}],
        "flights": [{"aircraft_type": "jet", "role": "pilot_in_command", "hours": 10}],
        "languages": ["en", "ja"],
        "citizenship": "US",
    }
    document = application_document(answers, FORM, skip=["full_name"])
    for words in ("volcanoes", "Geology", "Master's", "Jet", "Pilot in command", "Japanese"):
        assert words in document
    assert "Ada" not in document


def test_document_survives_malformed_answers():
    assert application_document({"degrees": "many", "languages": 3}, FORM) == ""


def test_the_matching_reviewer_has_the_highest_affinity():
    documents = [
        "Field geology of volcanoes, planetary geology and sample return.",
        "Jet test flight, aviation safety and flight operations.",
        "Medicine in space: bone loss, radiation and the immune system.",
    ]
    tags = [["geology"], ["aviation", "test flight"], ["medicine"]]
    affinity = affinity_matrix(documents, tags)
    assert affinity.shape == (3, 3)
    assert (affinity >= 0).all()
    assert (affinity <= 1).all()
    assert (affinity.argmax(axis=1) == [0, 1, 2]).all()
    assert affinity[1, 1] == pytest.approx(affinity.max())


def test_tag_coverage_counts_whole_multi_word_tags():
    coverage = tag_coverage(
        ["computer science and robotics", "science fiction"],
        [["computer science", "robotics"], ["computer science"], []],
    )
    assert coverage.tolist() == [[1.0, 1.0, 0.0], [0.0, 0.0, 0.0]]


def test_empty_inputs_and_bad_arguments_are_named():
    assert affinity_matrix([], [["a"]]).shape == (0, 1)
    assert affinity_matrix(["x"], []).shape == (1, 0)
    assert affinity_matrix(["", ""], [[], []]).tolist() == [[0, 0], [0, 0]]
    for kwargs, name in [
        ({"tag_weight": 2}, "tag_weight"),
        ({"semantic_weight": -0.1}, "semantic_weight"),
        ({"method": "bert"}, "method"),
        ({"aggregate": "median"}, "aggregate"),
        ({"aggregate": 0}, "aggregate"),
    ]:
        with pytest.raises(AffinityError, match=name):
            affinity_matrix(["x"], [["x"]], **kwargs)
    with pytest.raises(AffinityError, match=r"profiles\[1\]"):
        affinity_matrix(["x"], [ReviewerProfile(), 3])
    with pytest.raises(AffinityError, match="documents"):
        affinity_matrix("one text", [ReviewerProfile()])
    with pytest.raises(AffinityError, match=r"ReviewerProfile\.papers"):
        ReviewerProfile(papers=(1, 2))


PAPERS = {
    "geology": (
        "Magma chambers beneath basaltic volcanoes. We model eruptions from seismic data.",
        "Impact craters and the rocks of Mars: sample return from planetary surfaces.",
    ),
    "medicine": (
        "Bone loss in long-duration spaceflight. Osteoporosis in astronauts and countermeasures.",
        "Radiation and the immune system: a cohort of patients in intensive care.",
    ),
    "aviation": (
        "Handling qualities of jet aircraft in flight test. Pilots rated the stall behaviour.",
        "Fatigue in airline crews and flight operations safety.",
    ),
}
APPLICATIONS = [
    "Field geology of volcanoes, planetary geology and sample return.",
    "Medicine in space: bone loss, radiation and the immune system.",
    "Jet test flight, aviation safety and flight operations.",
]


@pytest.mark.parametrize("method", ["tfidf", "semantic", "hybrid"])
@pytest.mark.parametrize("aggregate", ["mean", "max", 2])
def test_papers_alone_find_the_right_reviewer(method, aggregate):
    if method != "tfidf" and not semantic_available():
        pytest.skip("the semantic extra is not installed")
    profiles = [ReviewerProfile(papers=papers) for papers in PAPERS.values()]
    affinity = affinity_matrix(APPLICATIONS, profiles, method=method, aggregate=aggregate)
    assert affinity.shape == (3, 3)
    assert affinity.dtype == np.float64
    assert ((affinity >= 0) & (affinity <= 1)).all()
    assert affinity.argmax(axis=1).tolist() == [0, 1, 2]


def test_the_semantic_model_matches_the_same_subject_in_other_words():
    """No word in common with the reviewer's statement: TF-IDF sees nothing; the model sees
    that osteoporosis in astronauts is about bone loss in space."""
    if not semantic_available():
        pytest.skip("the semantic extra is not installed")
    profiles = [
        ReviewerProfile(statement="I treat osteoporosis in astronauts."),
        ReviewerProfile(statement="I write compilers for embedded processors."),
    ]
    document = ["Bone loss during long missions in orbit."]
    assert affinity_matrix(document, profiles, method="tfidf").tolist() == [[0.0, 0.0]]
    semantic = affinity_matrix(document, profiles, method="semantic")
    assert semantic[0, 0] > semantic[0, 1] + 0.1


def test_an_empty_profile_scores_zero_everywhere_and_others_are_unchanged():
    full = [ReviewerProfile(papers=PAPERS["geology"]), ReviewerProfile(tags=("medicine",))]
    with_empty = [full[0], ReviewerProfile(), full[1]]
    a = affinity_matrix(APPLICATIONS, full)
    b = affinity_matrix(APPLICATIONS, with_empty)
    assert (b[:, 1] == 0).all()
    assert np.allclose(b[:, [0, 2]], a, atol=1e-6)
    assert ReviewerProfile(tags=(" ",), papers=("",), statement="  ").empty


@pytest.mark.parametrize("aggregate", ["max", 3])
def test_an_empty_profile_scores_zero_when_papers_are_kept_apart(aggregate):
    profiles = [ReviewerProfile(papers=PAPERS["geology"]), ReviewerProfile()]
    affinity = affinity_matrix(APPLICATIONS, profiles, method="tfidf", aggregate=aggregate)
    assert (affinity[:, 1] == 0).all()
    assert affinity[0, 0] > 0


def test_non_english_text_is_scored():
    profiles = [
        ReviewerProfile(papers=("Geología de volcanes en Marte y retorno de muestras.",)),
        ReviewerProfile(papers=("Medicina espacial: pérdida ósea y radiación en astronautas.",)),
    ]
    documents = [
        "Estudio la geología de los volcanes de Marte.",
        "Pérdida ósea de los astronautas por la radiación.",
        "火山の地質学",  # no shared word: zero, not an error
    ]
    affinity = affinity_matrix(documents, profiles)
    assert affinity[:2].argmax(axis=1).tolist() == [0, 1]
    assert np.isfinite(affinity).all()


def test_keywords_are_a_profile_and_a_list_of_tags_still_works():
    from_tags = affinity_matrix(APPLICATIONS, [["geology"], ["medicine"], ["aviation"]])
    from_profiles = affinity_matrix(
        APPLICATIONS, [ReviewerProfile(tags=(t,)) for t in ("geology", "medicine", "aviation")]
    )
    assert np.array_equal(from_tags, from_profiles)
    assert from_tags.argmax(axis=1).tolist() == [0, 1, 2]


def test_embeddings_are_cached_per_text_and_only_new_texts_are_embedded(monkeypatch):
    if not semantic_available():
        pytest.skip("the semantic extra is not installed")
    model = affinity_module._semantic_model()
    embedded: list[str] = []
    original = model.embed

    def counting(texts, **kwargs):
        embedded.extend(texts)
        return original(texts, **kwargs)

    monkeypatch.setattr(model, "embed", counting)
    cache = MemoryEmbeddingCache()
    profiles = [ReviewerProfile(papers=papers) for papers in PAPERS.values()]
    first = affinity_matrix(APPLICATIONS, profiles, method="hybrid", cache=cache)
    assert len(embedded) == 9  # three applications, six papers
    embedded.clear()
    changed = [*APPLICATIONS[:2], APPLICATIONS[2] + " Night flying."]
    second = affinity_matrix(changed, profiles, method="hybrid", cache=cache)
    assert embedded == [changed[2]]
    assert np.allclose(first[:2], second[:2], atol=0.05)


def test_without_the_semantic_model_auto_falls_back_to_tfidf(monkeypatch):
    monkeypatch.setattr(affinity_module, "_model_files", lambda: None)
    monkeypatch.setattr(affinity_module, "_semantic_model", lambda: None)
    assert resolve_method("auto") == "tfidf"
    with pytest.raises(AffinityError, match="ascent\\[semantic\\]"):
        affinity_matrix(APPLICATIONS, [["geology"]], method="semantic")
    profiles = [ReviewerProfile(papers=papers) for papers in PAPERS.values()]
    assert affinity_matrix(APPLICATIONS, profiles).argmax(axis=1).tolist() == [0, 1, 2]


def test_best_matches_say_which_papers_fit():
    profile = ReviewerProfile(tags=("volcanoes",), papers=PAPERS["geology"] + PAPERS["aviation"])
    matches = best_matches(APPLICATIONS[0], profile, top=2)
    assert len(matches) == 2
    assert matches[0].score >= matches[1].score
    assert all(m.text in PAPERS["geology"] or m.kind == "keywords" for m in matches)
    assert best_matches(APPLICATIONS[0], ReviewerProfile()) == []


def test_conflicts_by_organisation_and_by_reference():
    found = detect_conflicts(
        ["Meridian University", "", "Acme"],
        [" meridian  university", "Acme Labs", None],
        [["REF@example.org"], [], []],
        ["x@example.org", "ref@example.org ", ""],
    )
    reasons = {(c.application, c.reviewer): c.reason for c in found}
    assert reasons == {
        (0, 0): "same organisation (Meridian University)",
        (0, 1): "the reviewer is one of the applicant's recommenders",
    }
    assert conflict_pairs(found).tolist() == [[0, 0], [0, 1]]
    assert conflict_pairs([]).shape == (0, 2)
    assert np.issubdtype(conflict_pairs(found).dtype, np.integer)
