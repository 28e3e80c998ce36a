"""Reviewer profiles: what reviewers say they know, how the assignment reads it, the
embedding cache, and why an application came to a reviewer."""

import datetime as dt
import io

import numpy as np
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from ascent.applications.domain.privacy import delete_account
from ascent.applications.models import ApplicationStatus
from ascent.common.models import AuditEvent
from ascent.engine.affinity import (
    SEMANTIC_MODEL,
    application_document,
    semantic_available,
    text_digest,
)
from ascent.programs.domain.forms import form_of
from ascent.review.domain.assignment import assign_stage
from ascent.review.domain.embeddings import DatabaseEmbeddingCache, prune_embeddings
from ascent.review.models import Assignment, Reviewer, TextEmbedding
from tests.factories import (
    ApplicantFactory,
    ApplicationFactory,
    CycleFactory,
    FormFieldFactory,
    ReviewerFactory,
    StageFactory,
)

pytestmark = pytest.mark.django_db
SUBMITTED_AT = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)
STATEMENTS = {
    "geology": "I map volcanic terrains on Earth as analogues for the geology of Mars.",
    "medicine": "I study bone loss of astronauts and how exercise prevents it.",
}
PAPERS = {
    "geology": ["Basaltic lava flows and the volcanoes of Mars: a field guide to sampling."],
    "medicine": ["Muscle and bone loss in long missions: countermeasures with exercise."],
}


@pytest.fixture
def panel():
    """Four applications, two reviewers with publications and no keywords, one empty."""
    cycle = CycleFactory()
    FormFieldFactory(cycle=cycle, key="statement", kind="long_text")
    stage = StageFactory(cycle=cycle, key="panel", reviews_per_application=1)
    applications = [
        ApplicationFactory(
            cycle=cycle, status=ApplicationStatus.IN_REVIEW, submitted_at=SUBMITTED_AT,
            applicant=ApplicantFactory(organisation=f"Lab {topic} {i}"),
            answers={"statement": STATEMENTS[topic]},
        )
        for topic in ("geology", "medicine")
        for i in range(2)
    ]  # fmt: skip
    reviewers = [
        ReviewerFactory(program=cycle.program, papers=PAPERS[topic], load_limit=2,
                        display_name=f"{topic} reviewer")
        for topic in ("geology", "medicine")
    ]  # fmt: skip
    empty = ReviewerFactory(program=cycle.program, load_limit=2, display_name="empty reviewer")
    return stage, applications, reviewers, empty


def test_publications_alone_put_each_application_with_its_expert(panel):
    stage, applications, (geology, medicine), empty = panel
    summary = assign_stage(stage)
    assert summary.method == ("hybrid" if semantic_available() else "tfidf")
    assert summary.empty_profiles == 1
    pairs = dict(
        Assignment.objects.filter(stage=stage).values_list("application_id", "reviewer_id")
    )
    assert [pairs[a.pk] for a in applications] == [geology.pk, geology.pk, medicine.pk, medicine.pk]
    assert not Assignment.objects.filter(reviewer=empty).exists()
    assert AuditEvent.objects.get(verb="stage.assigned").data["method"] == summary.method


@pytest.mark.skipif(not semantic_available(), reason="the semantic extra is not installed")
def test_embeddings_are_kept_and_a_rerun_embeds_only_changed_texts(panel):
    stage, applications, _reviewers, _empty = panel
    assign_stage(stage)
    stored = TextEmbedding.objects.filter(model=SEMANTIC_MODEL).count()
    assert stored == 2 + 2  # two distinct application texts (each twice), two publications
    changed = applications[0]
    changed.answers = {"statement": STATEMENTS["geology"] + " And lunar craters."}
    changed.save()
    assign_stage(stage)
    assert TextEmbedding.objects.filter(model=SEMANTIC_MODEL).count() == stored + 1
    vector = DatabaseEmbeddingCache().get_many(SEMANTIC_MODEL, [text_digest(PAPERS["medicine"][0])])
    (only,) = vector.values()
    assert only.shape == (256,)
    assert np.linalg.norm(only) == pytest.approx(1, abs=1e-2)


def _store(*texts: str, model: str = SEMANTIC_MODEL) -> None:
    DatabaseEmbeddingCache().put_many(model, {text_digest(t): np.ones(256) / 16 for t in texts})


def _stored() -> set[tuple[str, str]]:
    return set(TextEmbedding.objects.values_list("model", "digest"))


def test_prune_drops_embeddings_no_current_text_gives(panel):
    _stage, _applications, (_geology, medicine), _empty = panel
    live = [STATEMENTS["geology"], STATEMENTS["medicine"], PAPERS["geology"][0]]
    _store(*live, "An application as it read before it changed.", PAPERS["medicine"][0])
    _store(STATEMENTS["geology"], model="an-older-model")
    medicine.papers = []  # their publication goes out of use
    medicine.save()
    out = io.StringIO()
    call_command("prune_embeddings", stdout=out)
    assert out.getvalue().strip() == "3 stored embeddings deleted."
    assert _stored() == {(SEMANTIC_MODEL, text_digest(text)) for text in live}
    assert prune_embeddings() == 0  # nothing more to drop


def test_deleting_an_account_deletes_its_embeddings_at_once(panel):
    _stage, applications, _reviewers, _empty = panel
    _store(STATEMENTS["geology"], STATEMENTS["medicine"])
    medicine = applications[2]
    counts = delete_account(medicine.applicant.user)
    assert counts["embeddings"] == 1
    assert _stored() == {(SEMANTIC_MODEL, text_digest(STATEMENTS["geology"]))}


def test_deletion_also_takes_the_texts_as_reviewers_read_them_and_older_versions(
    panel, django_capture_on_commit_callbacks
):
    """The page that says why a reviewer fits embeds the application without what its
    reviewers may not read; an answer changed since a run left an older text. Both go:
    the first at once, the second by the prune queued when the deletion commits."""
    stage, applications, _reviewers, _empty = panel
    FormFieldFactory(cycle=stage.cycle, key="secret", kind="text", hidden_from_reviewers=True)
    mine = applications[2]
    mine.answers = {**mine.answers, "secret": "Private notes on a medical condition."}
    mine.save()
    form = form_of(stage.cycle)
    whole = application_document(mine.answers, form)
    as_read = application_document(mine.answers, form, skip=["secret"])
    assert whole != as_read
    older = "An earlier version of this application."
    _store(whole, as_read, older, STATEMENTS["geology"])
    assert prune_embeddings() == 1  # only the older text is no one's now
    _store(older)
    with django_capture_on_commit_callbacks(execute=True):
        counts = delete_account(mine.applicant.user)
    assert counts["embeddings"] == 2
    assert _stored() == {(SEMANTIC_MODEL, text_digest(STATEMENTS["geology"]))}


def test_a_publication_taken_out_of_a_profile_takes_its_embedding(client, panel):
    _stage, _applications, (geology, _medicine), _empty = panel
    kept = "Lava tubes on the Moon and on Mars."
    geology.papers = [PAPERS["geology"][0], kept]
    geology.save()
    _store(PAPERS["geology"][0], kept, PAPERS["medicine"][0])
    client.force_login(geology.user)
    saved = client.post("/review/profile/", {
        "panel": geology.pk, "keywords": "", "statement": "", "papers": kept,
    })  # fmt: skip
    assert saved.status_code == 302
    assert _stored() == {(SEMANTIC_MODEL, text_digest(t)) for t in (kept, PAPERS["medicine"][0])}


def test_the_reviewer_edits_their_profile_and_bad_input_is_kept(client, panel):
    _stage, _applications, (geology, _medicine), _empty = panel
    client.force_login(geology.user)
    page = client.get("/review/profile/")
    assert page.status_code == 200
    assert PAPERS["geology"][0] in page.content.decode()
    long_keyword = "x" * 51
    bad = client.post("/review/profile/", {
        "panel": geology.pk, "keywords": f"volcanoes, {long_keyword}",
        "statement": "Volcanoes.", "papers": "First paper.\n\nSecond paper.",
    })  # fmt: skip
    assert bad.status_code == 422
    body = bad.content.decode()
    assert "at most 30 keywords of at most 50 characters each" in body
    assert long_keyword in body
    assert "Second paper." in body
    geology.refresh_from_db()
    assert geology.statement == ""
    assert geology.papers == PAPERS["geology"]
    too_long = client.post("/review/profile/", {
        "panel": geology.pk, "keywords": "", "statement": "",
        "papers": "Short.\n\n" + "y" * 5001,
    })  # fmt: skip
    assert "publication 2: at most 5,000 characters" in too_long.content.decode()
    good = client.post("/review/profile/", {
        "panel": geology.pk, "keywords": "Volcanoes, Mars, volcanoes",
        "statement": "  Volcanoes.  ", "papers": "First\npaper.\r\n\r\n\r\nSecond paper.\n",
    })  # fmt: skip
    assert good.status_code == 302
    geology.refresh_from_db()
    assert geology.expertise == ["mars", "volcanoes"]
    assert geology.statement == "Volcanoes."
    assert geology.papers == ["First paper.", "Second paper."]
    assert AuditEvent.objects.filter(verb="panel.profile_updated").count() == 1


def test_nobody_edits_another_reviewers_profile(client, panel):
    _stage, _applications, (geology, medicine), _empty = panel
    client.force_login(geology.user)
    response = client.post("/review/profile/", {"panel": medicine.pk, "keywords": "hijacked"})
    assert response.status_code == 404
    medicine.refresh_from_db()
    assert medicine.expertise == []
    client.force_login(ApplicantFactory().user)
    assert client.get("/review/profile/").status_code == 404


def test_the_review_page_says_which_publication_matched(client, panel):
    stage, applications, (geology, _medicine), _empty = panel
    assign_stage(stage)
    assignment = Assignment.objects.get(application=applications[0])
    assert assignment.reviewer_id == geology.pk
    client.force_login(geology.user)
    body = client.get(f"/review/{assignment.pk}/").content.decode()
    assert "Why this application came to you" in body
    assert "Basaltic lava flows" in body


def test_the_staff_panel_names_the_method_and_the_empty_profiles(client, panel):
    stage, *_ = panel
    from tests.factories import UserFactory

    client.force_login(UserFactory(is_staff=True))
    body = client.get(f"/staff/cycles/{stage.cycle_id}/panel/").content.decode()
    assert "1 reviewer has an empty profile" in body
    assert ("by meaning (a semantic model)" in body) == semantic_available()
    assert Reviewer.objects.filter(program=stage.cycle.program).count() == 3


def test_why_matched_never_scores_what_the_reviewer_may_not_read(client, panel):
    """A keyword that guesses a hidden answer must not light up: the match is computed on
    the answers the stage shows, nothing else."""
    stage, applications, _reviewers, _empty = panel
    FormFieldFactory(cycle=stage.cycle, key="secret", kind="text", required=False,
                     hidden_from_reviewers=True)  # fmt: skip
    application = applications[0]
    application.answers = {**application.answers, "secret": "Okonkwo"}
    application.save()
    assign_stage(stage)
    assignment = Assignment.objects.get(application=application)
    reviewer = assignment.reviewer
    reviewer.expertise, reviewer.papers = ["okonkwo"], []
    reviewer.save()
    from ascent.review.domain.assignment import why_matched

    matches = why_matched(assignment)
    assert all(m.score == 0 for m in matches)


BIBTEX = r"""% exported from a reference manager
@article{lava2021,
  title = {Basaltic lava flows on {M}ars},
  abstract = {We map flows
     near Olympus Mons.},
  author = {Nu{\~n}ez, Ana}
}

@inproceedings{caves2022,
  title = "Lava tubes as habitats",
  year = 2022
}
"""


def test_publications_are_imported_from_bibtex_and_csv(client, panel):
    _stage, _applications, (geology, _medicine), _empty = panel
    client.force_login(geology.user)
    form = {"panel": geology.pk, "keywords": "mars", "statement": "", "papers": "Typed paper."}
    bib = SimpleUploadedFile("mine.bib", BIBTEX.encode(), content_type="application/x-bibtex")
    response = client.post("/review/profile/", {**form, "file": bib}, follow=True)
    assert "2 publications imported from mine.bib" in response.content.decode()
    geology.refresh_from_db()
    assert geology.papers == [
        "Typed paper.",
        "Basaltic lava flows on Mars. We map flows near Olympus Mons.",
        "Lava tubes as habitats",
    ]
    table = 'Title;Year;Abstract\nBone loss in orbit;2020;"Exercise,\nand more exercise."\n\n'
    csv_file = SimpleUploadedFile("mine.csv", table.encode("utf-8-sig"))
    form["papers"] = "\n\n".join(geology.papers)
    client.post("/review/profile/", {**form, "file": csv_file})
    geology.refresh_from_db()
    assert geology.papers[-1] == "Bone loss in orbit. Exercise, and more exercise."
    assert len(geology.papers) == 4  # the typed ones are not doubled


@pytest.mark.parametrize(
    ("name", "content", "problems"),
    [
        (
            "mine.bib",
            BIBTEX.replace('  title = "Lava tubes as habitats",\n', "").replace(
                "{M}ars},", "{M}ars,"
            ),
            ["line 2: this entry cannot be read", "line 9: the entry caves2022 has no title"],
        ),
        (
            "mine.csv",
            'title,abstract\nGood,Fine\n,No title here\n"Open,quote\n',
            ["line 3: the title is empty"],
        ),
        ("mine.csv", "name,summary\nA,B\n", ["line 1: the first line names the columns"]),
        (
            "mine.csv",
            "title\nOK\n".encode("latin-1") + "Ñandú\n".encode("latin-1"),
            ["line 3: the file is not UTF-8 text"],
        ),
        ("mine.txt", "title\nA\n", ["choose a BibTeX file (.bib) or a CSV file (.csv)"]),
        ("mine.bib", "% nothing here\n", ["the file holds no publication"]),
        ("mine.bib", "@misc{x, title={A}}\n" + "%" * (2 * 1024 * 1024), ["larger than 2 MB"]),
    ],
)
def test_a_bad_file_is_refused_whole_with_its_lines_and_what_was_typed_kept(
    client, panel, name, content, problems
):
    _stage, _applications, (geology, _medicine), _empty = panel
    client.force_login(geology.user)
    data = content if isinstance(content, bytes) else content.encode()
    response = client.post("/review/profile/", {
        "panel": geology.pk, "keywords": "typed keyword", "statement": "Typed statement.",
        "papers": "", "file": SimpleUploadedFile(name, data),
    })  # fmt: skip
    assert response.status_code == 422
    body = response.content.decode()
    assert "Nothing was imported from the file" in body
    for problem in problems:
        assert problem in body
    assert "typed keyword" in body
    assert "Typed statement." in body
    geology.refresh_from_db()
    assert geology.papers == PAPERS["geology"]
    assert geology.expertise == []


def test_a_file_too_big_to_be_a_profile_is_refused_before_it_is_read(client, panel):
    """A reviewer's file cannot hold a worker: thousands of entries are refused unread,
    and a file with many bad lines lists twenty and counts the rest."""
    _stage, _applications, (geology, _medicine), _empty = panel
    client.force_login(geology.user)
    form = {"panel": geology.pk, "keywords": "", "statement": "", "papers": ""}
    for name, content, message in (
        ("many.bib", "@a{" * 600_000, "more than 500 entries"),
        ("many.csv", "title\n" + "x\n" * 600, "more than 500 entries"),
        ("bad.csv", "title,abstract\n" + ",no title\n" * 100, "and 80 more lines like these"),
    ):
        response = client.post("/review/profile/", {**form, "file": SimpleUploadedFile(
            name, content.encode())})  # fmt: skip
        assert response.status_code == 422
        assert message in response.content.decode()
    nul = SimpleUploadedFile("nul.csv", b"title\nLava\x00 flows\n")
    assert client.post("/review/profile/", {**form, "file": nul}).status_code == 302
    geology.refresh_from_db()
    assert geology.papers == ["Lava flows"]
