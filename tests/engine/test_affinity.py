"""Affinity from text and tags, and conflicts found from data."""

from __future__ import annotations

import numpy as np
import pytest

from ascent.engine.affinity import affinity_matrix, application_document, tag_coverage
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


def test_empty_inputs_and_bad_weight():
    assert affinity_matrix([], [["a"]]).shape == (0, 1)
    assert affinity_matrix(["", ""], [[], []]).tolist() == [[0, 0], [0, 0]]
    with pytest.raises(ValueError, match="tag_weight"):
        affinity_matrix(["x"], [["x"]], tag_weight=2)
    with pytest.raises(ValueError, match="reviewer_texts"):
        affinity_matrix(["x"], [["x"]], ["a", "b"])


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
