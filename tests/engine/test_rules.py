"""The eligibility rule language: compiling, explaining, and agreeing with the world."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ascent.engine.astronaut import FORM, REQUIREMENTS
from ascent.engine.rules import RuleError, compile_rule, evaluate, screen

ON = dt.date(2026, 3, 31)
RULES = {spec.key: compile_rule(spec.rule, FORM) for spec in REQUIREMENTS}


def problems_of(rule):
    with pytest.raises(RuleError) as caught:
        compile_rule(rule, FORM)
    return caught.value.problems


def jet_hours(*lines):
    return {
        "flights": [
            {"aircraft_type": kind, "role": role, "hours": hours} for kind, role, hours in lines
        ]
    }


# -- compile errors name the path and the problem ----------------------------------


@pytest.mark.parametrize(
    ("rule", "path", "fragment"),
    [
        ({"field": "height", "op": "==", "value": 1}, "field", "'height' is not a field"),
        ({"field": "citizenship", "op": "<", "value": "US"}, "value", "not ordered"),
        ({"field": "citizenship", "op": "==", "value": "XX"}, "value", "'XX' is not a choice"),
        ({"field": "statement", "op": ">", "value": 3}, "op", "does not fit the long_text"),
        ({"field": "degrees", "op": "==", "value": 3}, "op", "use some, count or sum"),
        ({"field": "date_of_birth", "op": "<", "value": "31/12/2000"}, "value", "YYYY-MM-DD"),
        ({"field": "citizenship", "op": "in", "value": "US"}, "value", "non-empty list"),
        ({"field": "citizenship", "op": "answered", "value": 1}, "value", "takes no value"),
        ({"field": "citizenship", "op": "=="}, "rule", "needs a value"),
        ({"all": []}, "all", "non-empty list"),
        ({"all": [{"field": "citizenship"}], "any": []}, "rule", "exactly one of"),
        ({"field": "citizenship", "op": "==", "value": "US", "when": 1}, "when", "unknown key"),
        ("citizenship == US", "rule", "must be an object"),
        ({"years_since": "citizenship", "op": ">=", "value": 3}, "years_since", "date field"),
        ({"years_since": "experience_start", "op": "in", "value": 3}, "op", "one of"),
        ({"years_since": "experience_start", "op": ">=", "value": "3"}, "value", "number"),
        ({"sum": "hours", "of": "citizenship", "op": ">=", "value": 1}, "of", "not a list"),
        ({"sum": "role", "of": "flights", "op": ">=", "value": 1}, "sum", "number column"),
        ({"sum": "minutes", "of": "flights", "op": ">=", "value": 1}, "sum", "column of 'flights'"),
        ({"some": "degrees", "where": {"field": "citizenship", "op": "==", "value": "US"}},
         "where.field", "not a column of 'degrees'"),
        ({"field": "languages", "op": "==", "value": "en"}, "op", "multi_choice"),
        ({"field": "citizenship", "op": "==", "value": "US", "unit": "h"}, "unit",
         "a unit fits a number field"),
        ({"all": [{"field": "citizenship", "op": "answered"}], "unit": "h"}, "unit",
         "unknown key"),
        ({"years_since": "experience_start", "op": ">=", "value": 3, "unit": 3}, "unit",
         "must be text"),
    ],
)  # fmt: skip
def test_compile_errors_name_the_path_and_the_rule(rule, path, fragment):
    problems = problems_of(rule)
    assert any(p == path and fragment in message for p, message in problems), problems


def test_compile_reports_every_problem_with_its_nested_path():
    problems = problems_of(
        {
            "any": [
                {
                    "some": "degrees",
                    "where": {
                        "all": [
                            {"field": "level", "op": ">=", "value": "phd"},
                            {"field": "feld", "op": "==", "value": "physics"},
                        ]
                    },
                },
                {"not": {"field": "medical_class", "op": "~", "value": "class_1"}},
            ]
        }
    )
    paths = [path for path, _ in problems]
    assert paths == ["any[0].where.all[0].value", "any[0].where.all[1].field", "any[1].not.op"]
    assert "RuleError" not in str(RuleError(problems))
    assert "any[1].not.op: '~' does not fit" in str(RuleError(problems))


def test_rules_nested_too_deep_are_refused():
    rule = {"field": "citizenship", "op": "==", "value": "US"}
    for _ in range(30):
        rule = {"not": rule}
    assert any("nest at most" in message for _, message in problems_of(rule))


def test_a_valid_rule_compiles_and_describes_itself():
    compiled = compile_rule({"field": "medical_class", "op": ">=", "value": "class_2"}, FORM)
    assert compiled.description == "Medical certificate is at least Class 2"


# -- explanations ------------------------------------------------------------------


def test_missing_jet_time_is_stated_as_an_amount():
    rule = RULES["experience"]
    answers = jet_hours(("jet", "pilot_in_command", 400), ("jet", "pilot_in_command", 250),
                        ("jet", "co_pilot", 900))  # fmt: skip
    result = evaluate(rule, answers, on=ON)
    assert not result.passed
    jet, years = result.children
    assert jet.text == "650 of the 1,000 h of pilot-in-command jet time required"
    assert jet.missing == 350
    assert jet.progress == pytest.approx(0.65)
    assert years.text == "related professional experience: not answered"
    assert result.progress == pytest.approx(0.65)  # the closest alternative
    assert "closest is 65%" in result.text


def test_any_reports_how_close_each_alternative_came():
    answers = jet_hours(("jet", "pilot_in_command", 100)) | {"experience_start": "2024-01-01"}
    result = evaluate(RULES["experience"], answers, on=ON)
    jet, years = result.children
    assert jet.progress == pytest.approx(0.1)
    assert years.text == "2.2 of the 3 years of related professional experience required"
    assert years.missing == pytest.approx(0.8)
    assert result.progress == pytest.approx(years.progress)


def test_passing_alternative_passes_the_requirement():
    answers = jet_hours(("jet", "pilot_in_command", 1200))
    result = evaluate(RULES["experience"], answers, on=ON)
    assert result.passed
    assert result.children[0].text.startswith("pilot-in-command jet time: 1,200 h")


def test_some_explains_each_record():
    answers = {"degrees": [
        {"level": "bachelor", "field": "physics", "institution": "U", "year": 2010},
        {"level": "master", "field": "history", "institution": "U", "year": 2012},
    ]}  # fmt: skip
    result = evaluate(RULES["stem_degree"], answers, on=ON)
    assert not result.passed
    first, second = result.children
    assert first.text.startswith("Degrees 1:")
    assert [c.passed for c in first.children] == [False, True]
    assert "Level: Bachelor's; must be at least Master's" in str(result)
    assert [c.passed for c in second.children] == [True, False]


def test_some_says_one_record_in_the_singular():
    one = {"degrees": [{"level": "bachelor", "field": "physics", "institution": "U", "year": 2010}]}
    two = {"degrees": one["degrees"] * 2}
    assert str(evaluate(RULES["stem_degree"], one, on=ON).text).startswith(
        "Degrees: the only one given does not meet: "
    )
    assert str(evaluate(RULES["stem_degree"], two, on=ON).text).startswith(
        "none of the 2 degrees meets: "
    )


def test_all_of_says_one_failing_condition_in_the_singular():
    rule = compile_rule({"all": [{"field": "citizenship", "op": "==", "value": "US"},
                                 {"field": "medical_class", "op": "==", "value": "class_1"}]},
                        FORM)  # fmt: skip
    one = evaluate(rule, {"citizenship": "US", "medical_class": "class_2"}, on=ON)
    assert str(one.text) == "one of the 2 conditions is not met"
    both = evaluate(rule, {"citizenship": "FR", "medical_class": "class_2"}, on=ON)
    assert str(both.text) == "2 of 2 conditions not met"


def test_ordered_choices_compare_by_rank():
    assert evaluate(RULES["medical"], {"medical_class": "class_1"}, on=ON).passed
    low = evaluate(RULES["medical"], {"medical_class": "class_3"}, on=ON)
    assert not low.passed
    assert low.progress == pytest.approx(2 / 3)


@pytest.mark.parametrize(
    "answers",
    [
        {},
        {"degrees": "a lot"},
        {"degrees": [None, 3, {"level": 7}]},
        {"flights": [{"hours": "many"}], "experience_start": "last year"},
        {"medical_class": ["class_1"]},
        {"citizenship": None},
    ],
)
def test_missing_or_malformed_answers_fail_without_a_crash(answers):
    for rule in RULES.values():
        result = evaluate(rule, answers, on=ON)
        assert not result.passed
        assert rule.tester(ON)(answers) is False
        assert result.to_dict()["passed"] is False


def test_a_number_field_states_its_shortfall_in_its_unit():
    rule = compile_rule(
        {"some": "flights", "where": {"field": "hours", "op": ">=", "value": 1000, "unit": "h",
                                      "label": "hours on one type"}}, FORM)  # fmt: skip
    result = evaluate(rule, jet_hours(("jet", "pilot_in_command", 650)), on=ON)
    line = result.children[0]
    assert line.text == "Flight log 1: 650 of the 1,000 h of hours on one type required"
    assert (line.missing, line.unit, line.progress) == (350, "h", 0.65)
    passed = evaluate(rule, jet_hours(("jet", "pilot_in_command", 1200)), on=ON)
    assert passed.children[0].text.endswith("hours on one type: 1,200 h (is at least 1,000 h)")


def test_not_answered_is_said_in_words():
    result = evaluate(RULES["citizenship"], {}, on=ON)
    assert result.text == "Citizenship: not answered"


def test_not_count_and_presence():
    rule = compile_rule(
        {"all": [
            {"not": {"field": "citizenship", "op": "in", "value": ["IN", "TR"]}},
            {"count": "degrees", "op": ">=", "value": 2},
            {"field": "cv", "op": "answered"},
            {"field": "languages", "op": "contains", "value": "en"},
        ]},
        FORM,
    )  # fmt: skip
    good = {
        "citizenship": "US",
        "degrees": [{}, {}],
        "languages": ["en", "fr"],
        "cv": {"file": 1, "name": "cv.pdf", "size": 1, "content_type": "application/pdf"},
    }
    assert evaluate(rule, good, on=ON).passed
    assert rule.tester(ON)(good)
    bad = {"citizenship": "IN", "degrees": [{}], "languages": ["fr"]}
    result = evaluate(rule, bad, on=ON)
    assert [c.passed for c in result.children] == [False, False, False, False]
    assert result.children[1].text == "1 of the 2 of degrees required"
    assert result.children[2].text == "Curriculum vitae (PDF): not answered"


def test_dates_compare_and_years_since_counts_to_the_screening_day():
    rule = compile_rule({"field": "date_of_birth", "op": "<=", "value": "2000-01-01"}, FORM)
    assert evaluate(rule, {"date_of_birth": "1990-05-05"}, on=ON).passed
    assert not evaluate(rule, {"date_of_birth": "2001-05-05"}, on=ON).passed
    three = RULES["experience"]
    answers = {"experience_start": "2023-03-31"}
    assert evaluate(three, answers, on=ON).passed
    assert not evaluate(three, answers, on=dt.date(2026, 3, 1)).passed


# -- agreement: bulk screening, explanations and the world's own screening ---------


def test_screening_agrees_with_the_world_and_with_the_explanations(small_world):
    keys = [spec.key for spec in REQUIREMENTS]
    rules = [RULES[key] for key in keys]
    for cycle in small_world.cycles:
        on = cycle.deadline.date()
        passes = screen(rules, cycle.answers, on=on)
        assert passes.shape == (len(cycle.answers), len(rules))
        for i, answers in enumerate(cycle.answers):
            failed = tuple(key for key, ok in zip(keys, passes[i], strict=True) if not ok)
            assert failed == tuple(cycle.failed[i])
            explained = [evaluate(rule, answers, on=on).passed for rule in rules]
            assert explained == list(passes[i])


numbers = st.integers(min_value=0, max_value=3000)


@settings(max_examples=200, deadline=None)
@given(
    lines=st.lists(
        st.tuples(st.sampled_from(["jet", "piston"]),
                  st.sampled_from(["pilot_in_command", "co_pilot"]), numbers),
        max_size=5,
    ),
    threshold=numbers,
    op=st.sampled_from([">=", ">", "<", "<=", "==", "!="]),
)  # fmt: skip
def test_sum_rule_matches_arithmetic(lines, threshold, op):
    rule = compile_rule(
        {"sum": "hours", "of": "flights", "op": op, "value": threshold,
         "where": {"field": "aircraft_type", "op": "==", "value": "jet"}},
        FORM,
    )  # fmt: skip
    total = sum(hours for kind, _role, hours in lines if kind == "jet")
    expected = {">=": total >= threshold, ">": total > threshold, "<": total < threshold,
                "<=": total <= threshold, "==": total == threshold,
                "!=": total != threshold}[op]  # fmt: skip
    answers = jet_hours(*lines)
    result = evaluate(rule, answers, on=ON)
    assert result.passed == expected == rule.tester(ON)(answers)
    assert result.actual == total
    if not expected and op in (">=", ">"):
        assert result.missing == threshold - total


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=10,
)


@settings(max_examples=300, deadline=None)
@given(rule=json_values)
def test_any_json_either_compiles_or_raises_rule_error(rule):
    try:
        compile_rule(rule, FORM)
    except RuleError as error:
        problems = error.problems
    else:
        return
    assert problems
    assert all(isinstance(path, str) and message for path, message in problems)


@settings(max_examples=300, deadline=None)
@given(answers=st.dictionaries(st.sampled_from([f.key for f in FORM]), json_values))
def test_any_answers_evaluate_without_a_crash(answers):
    for rule in RULES.values():
        assert evaluate(rule, answers, on=ON).passed == rule.tester(ON)(answers)


def test_explanations_keep_their_template_and_numbers_for_translation():
    from ascent.engine.forms import FieldSpec

    form = (FieldSpec("hours", "Jet hours", "number"),)
    rule = compile_rule({"field": "hours", "op": ">=", "value": 1000, "unit": "h"}, form)
    found = evaluate(rule, {"hours": 650}).to_dict()
    assert found["text"] == "650 of the 1,000 h of Jet hours required"
    assert found["message"] == {
        "t": "%(actual)s of the %(required)s of %(name)s required",
        "v": {"actual": {"n": 650}, "name": "Jet hours",
              "required": {"t": "%(number)s %(unit)s", "v": {"number": {"n": 1000}, "unit": "h"}}},
    }  # fmt: skip
