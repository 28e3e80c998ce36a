import pytest

from ascent.engine import astronaut
from ascent.engine.forms import Choice, FieldSpec, FormSpecError, check_form, validate_answers

FORM = astronaut.FORM


def errors(answers, complete=True):
    return dict(validate_answers(FORM, answers, complete=complete))


def test_required_fields_are_named_when_missing():
    found = errors({})
    for key in (
        "full_name",
        "date_of_birth",
        "citizenship",
        "degrees",
        "medical_class",
        "statement",
    ):
        assert found[key] == "is required"
    assert "flights" not in found
    record = {"level": "master", "field": "physics", "institution": "X"}
    assert errors({"degrees": [record]})["degrees[0].year"] == "is required"


def test_a_draft_may_leave_required_fields_empty():
    assert errors({"full_name": "Ada"}, complete=False) == {}


@pytest.mark.parametrize(
    ("answers", "path", "message"),
    [
        ({"full_name": 7}, "full_name", "must be text"),
        ({"full_name": "x" * 201}, "full_name", "must be at most 200 characters (it has 201)"),
        ({"date_of_birth": "31/12/1990"}, "date_of_birth", "must be a date written YYYY-MM-DD"),
        ({"date_of_birth": "1990-02-30"}, "date_of_birth", "must be a date written YYYY-MM-DD"),
        ({"citizenship": "XX"}, "citizenship", "must be one of: AR, BR"),
        ({"languages": ["en", "en"]}, "languages", "lists a choice twice"),
        ({"languages": ["en", "tlh"]}, "languages", "tlh not among the choices"),
        ({"languages": "en"}, "languages", "must be a list of choices"),
        ({"degrees": {"level": "master"}}, "degrees", "must be a list of records"),
        ({"degrees": [{"level": "phd", "field": "physics", "institution": "X", "year": 2000}]},
         "degrees[0].level", "must be one of: bachelor, master, doctorate"),
        ({"degrees": [{"level": "master", "field": "physics", "institution": "X", "year": 1800}]},
         "degrees[0].year", "must be at least 1950"),
        ({"flights": [{"aircraft_type": "jet", "role": "pilot_in_command", "hours": True}]},
         "flights[0].hours", "must be a number"),
        ({"flights": [{"aircraft_type": "jet", "role": "pilot_in_command", "hours": float("nan")}]},
         "flights[0].hours", "must be a number"),
        ({"flights": ["jet"]}, "flights[0]", "must be a record"),
        ({"cv": "cv.pdf"}, "cv", "must be an uploaded file"),
        ({"shoe_size": 42}, "shoe_size", "is not a field of this form"),
    ],
)  # fmt: skip
def test_bad_answers_are_named_with_the_rule(answers, path, message):
    found = errors(answers, complete=False)
    assert path in found
    assert found[path].startswith(message)


def test_answers_must_be_an_object():
    assert validate_answers(FORM, ["a"], complete=True) == [
        ("", "answers must be an object mapping field keys to values")
    ]


def test_a_spec_survives_a_round_trip_through_json():
    for spec in FORM:
        assert FieldSpec.from_dict(spec.to_dict()) == spec


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ((FieldSpec("a", "A", "text"), FieldSpec("a", "A", "text")), "a: the key is used twice"),
        ((FieldSpec("a", "A", "colour"),), "a: kind 'colour' is not one of"),
        ((FieldSpec("a", "A", "choice"),), "a: a choice field needs at least one choice"),
        ((FieldSpec("a", "A", "records"),), "a: a records field needs at least one column"),
        ((FieldSpec("r", "R", "records", fields=(FieldSpec("b c", "B", "text"),)),),
         "r.b c: a field key is letters"),
        ((FieldSpec("n", "N", "number", min_value=5, max_value=1),), "n: min_value is larger"),
    ],
)  # fmt: skip
def test_broken_forms_are_refused_with_the_field_path(fields, message):
    with pytest.raises(FormSpecError) as caught:
        check_form(fields)
    assert str(caught.value).startswith(message)


def test_the_astronaut_form_is_well_formed():
    check_form(FORM)
    assert FORM[2].choices[0] == Choice("AR", "Argentina")


def test_a_date_field_is_bounded_in_years_from_today():
    """Issue #15: a date of birth in 2031 was accepted."""
    import datetime as dt

    from ascent.engine.forms import FieldSpec, validate_answers

    born = FieldSpec("born", "Date of birth", "date", min_value=-100, max_value=0)
    today = dt.date.today()
    future = (today + dt.timedelta(days=400)).isoformat()
    [(path, message)] = validate_answers([born], {"born": future}, complete=False)
    assert path == "born"
    assert message.startswith("must be on or before ")
    long_ago = today.replace(year=today.year - 101).isoformat()
    assert "on or after" in validate_answers([born], {"born": long_ago}, complete=False)[0][1]
    assert validate_answers([born], {"born": "1990-05-17"}, complete=False) == []
