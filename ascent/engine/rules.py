"""Eligibility rules: JSON data checked against a form, evaluated with an explanation.

A rule is a JSON object of one of these shapes (``where`` rules see the columns of one
record; everything else sees the form's fields):

    {"all": [rule, ...]}            every one passes
    {"any": [rule, ...]}            at least one passes
    {"not": rule}
    {"field": key, "op": op, "value": v}
        op: == != < <= > >= in "not in" on numbers, dates (YYYY-MM-DD), text and
        choices (< <= > >= only for ordered choices: bachelor < master < doctorate);
        "contains" / "not contains" on multi-choice fields; "answered" / "not answered"
        (no value) on any field.
    {"years_since": date_key, "op": op, "value": number}     e.g. 3 years of experience
    {"some": records_key, "where": rule}                     at least one record passes
    {"count": records_key, "where": rule, "op": op, "value": n}
    {"sum": column, "of": records_key, "where": rule, "op": op, "value": number}

Every node may carry ``"label"`` (what the explanation calls the quantity, e.g.
"pilot-in-command jet time"); a ``sum``, ``count``, ``years_since`` node or a comparison
on a number field may carry a ``"unit"`` ("h", "years").

``compile_rule(rule, form)`` reports every problem with its path inside the rule
("any[0].where.all[1].value: ...") and returns a :class:`CompiledRule`.
``evaluate(compiled, answers)`` returns an :class:`Explanation` tree. For bulk screening
``CompiledRule.tester(on)`` returns a plain ``answers -> bool`` function built from
closures, with no explanation, which is what makes 200,000 applications per second
possible; ``evaluate`` is used where a person will read the result.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import operator
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from .forms import FieldSpec, Message

YEAR_DAYS = 365.25
MAX_DEPTH = 24
COMPARISONS = ("==", "!=", "<", "<=", ">", ">=")
MEMBERSHIP = ("in", "not in")
PRESENCE = ("answered", "not answered")
CONTAINMENT = ("contains", "not contains")
SHAPES = ("all", "any", "not", "field", "years_since", "some", "count", "sum")
_COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "==": operator.eq, "!=": operator.ne, "<": operator.lt,
    "<=": operator.le, ">": operator.gt, ">=": operator.ge,
}  # fmt: skip
_OPS_BY_KIND = {
    "number": COMPARISONS + MEMBERSHIP + PRESENCE,
    "date": COMPARISONS + PRESENCE,
    "text": ("==", "!=", *MEMBERSHIP, *PRESENCE),
    "long_text": PRESENCE,
    "choice": COMPARISONS + MEMBERSHIP + PRESENCE,
    "multi_choice": CONTAINMENT + PRESENCE,
    "file": PRESENCE,
    "records": PRESENCE,
}
# Explanations are Messages (forms.Message): they read as English and keep their template
# and values, so that pages can say them in the reader's language.
_WORDS = {
    "==": "%(name)s is %(value)s", "!=": "%(name)s is not %(value)s",
    "<": "%(name)s is below %(value)s", "<=": "%(name)s is at most %(value)s",
    ">": "%(name)s is above %(value)s", ">=": "%(name)s is at least %(value)s",
    "in": "%(name)s is one of %(value)s", "not in": "%(name)s is none of %(value)s",
    "contains": "%(name)s includes %(value)s", "not contains": "%(name)s does not include %(value)s",
}  # fmt: skip
_PASSED = {
    "==": "%(name)s: %(shown)s (is %(value)s)", "!=": "%(name)s: %(shown)s (is not %(value)s)",
    "<": "%(name)s: %(shown)s (is below %(value)s)", "<=": "%(name)s: %(shown)s (is at most %(value)s)",
    ">": "%(name)s: %(shown)s (is above %(value)s)", ">=": "%(name)s: %(shown)s (is at least %(value)s)",
    "in": "%(name)s: %(shown)s (is one of %(value)s)",
    "not in": "%(name)s: %(shown)s (is none of %(value)s)",
    "contains": "%(name)s: %(shown)s (includes %(value)s)",
    "not contains": "%(name)s: %(shown)s (does not include %(value)s)",
}  # fmt: skip
_MUST = {
    "==": "%(name)s: %(shown)s; must be %(value)s",
    "!=": "%(name)s: %(shown)s; must be other than %(value)s",
    "<": "%(name)s: %(shown)s; must be below %(value)s",
    "<=": "%(name)s: %(shown)s; must be at most %(value)s",
    ">": "%(name)s: %(shown)s; must be above %(value)s",
    ">=": "%(name)s: %(shown)s; must be at least %(value)s",
    "in": "%(name)s: %(shown)s; must be one of %(value)s",
    "not in": "%(name)s: %(shown)s; must be none of %(value)s",
    "contains": "%(name)s: %(shown)s; must include %(value)s",
    "not contains": "%(name)s: %(shown)s; must not include %(value)s",
}  # fmt: skip
_SHORT = "%(actual)s of the %(required)s of %(name)s required"


class RuleError(ValueError):
    """A rule that cannot be used; ``problems`` lists (path, message) pairs."""

    def __init__(self, problems: Sequence[tuple[str, str]]) -> None:
        self.problems = list(problems)
        super().__init__("; ".join(f"{path}: {message}" for path, message in self.problems))


@dataclass(frozen=True)
class Explanation:
    """One node of an evaluated rule, readable by a person.

    ``progress`` is how close the node came to passing, from 0 to 1 (1 when it passed):
    650 of 1,000 hours is 0.65. For ``any`` it is the best alternative's.
    ``missing`` is the amount still lacking for a failed numeric threshold.
    """

    passed: bool
    text: str
    progress: float
    kind: str
    label: str = ""
    actual: Any = None
    required: Any = None
    missing: float | None = None
    unit: str = ""
    children: tuple[Explanation, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "passed": self.passed,
            "text": str(self.text),
            "progress": round(self.progress, 4),
            "kind": self.kind,
        }
        if isinstance(self.text, Message):
            data["message"] = message_dict(self.text)
        for name in ("label", "actual", "required", "missing", "unit"):
            value = getattr(self, name)
            if value not in (None, ""):
                data[name] = value
        if self.children:
            data["children"] = [child.to_dict() for child in self.children]
        return data

    def lines(self, indent: int = 0) -> list[str]:
        mark = "✓" if self.passed else "✗"
        out = [f"{'  ' * indent}{mark} {self.text}"]
        for child in self.children:
            out.extend(child.lines(indent + 1))
        return out

    def __str__(self) -> str:
        return "\n".join(self.lines())


# -- formatting ----------------------------------------------------------------------


class Number(str):
    """A number as English writes it ("1,000", "2.5") that keeps its value, so that a
    page can write it the reader's way."""

    value: float

    def __new__(cls, value: float) -> Number:
        if isinstance(value, bool):
            text = str(value)
        elif float(value).is_integer():
            text = f"{int(value):,}"
        else:
            text = f"{value:,.1f}"
        number = super().__new__(cls, text)
        number.value = value
        return number


def message_dict(message: Message) -> dict[str, Any]:
    """A Message as JSON: ``{"t": template, "v": {name: value}}``, where a value is a
    string, a nested message, or ``{"n": number}``."""
    return {"t": message.template, "v": {key: _value_dict(value)
                                         for key, value in message.values.items()}}  # fmt: skip


def _value_dict(value: Any) -> Any:
    if isinstance(value, Message):
        return message_dict(value)
    if isinstance(value, Number):
        return {"n": value.value}
    return str(value)


def _number(value: float) -> Number:
    return Number(value)


def _with_unit(value: float, unit: str) -> str:
    return (
        Message("%(number)s %(unit)s", number=Number(value), unit=unit) if unit else Number(value)
    )


def _joined_describe(kind: str, children) -> Message:
    """``a and b and c`` (or ``or``), each group in parentheses."""
    parts = [Message("(%(rule)s)", rule=c.describe) if c.kind in ("all", "any") else c.describe
             for c in children]  # fmt: skip
    template = "%(left)s and %(right)s" if kind == "all" else "%(left)s or %(right)s"
    text = parts[0]
    for part in parts[1:]:
        text = Message(template, left=text, right=part)
    return text


# -- compiled nodes ------------------------------------------------------------------


@dataclass
class _Node:
    """A checked rule node. ``test`` is the fast path; ``explain`` the readable one."""

    kind: str
    label: str
    describe: str
    test_factory: Callable[[dt.date], Callable[[Mapping], bool]]
    explain: Callable[[Mapping, dt.date], Explanation]
    children: list[_Node] = field(default_factory=list)


@dataclass
class CompiledRule:
    """A rule checked against a form; evaluate it with :func:`evaluate`."""

    rule: Any
    root: _Node

    def tester(self, on: dt.date | None = None) -> Callable[[Mapping], bool]:
        """A fast ``answers -> passed`` function for screening on the date ``on``."""
        return self.root.test_factory(on or dt.date.today())

    @property
    def description(self) -> str:
        return self.root.describe


def evaluate(
    compiled: CompiledRule, answers: Mapping[str, Any] | None, *, on: dt.date | None = None
) -> Explanation:
    """Evaluate ``compiled`` on ``answers`` (dates counted up to ``on``, default today)."""
    if not isinstance(compiled, CompiledRule):
        raise TypeError("evaluate() needs a rule returned by compile_rule()")
    return compiled.root.explain(
        answers if isinstance(answers, Mapping) else {}, on or dt.date.today()
    )


def screen(
    rules: Sequence[CompiledRule],
    answers: Iterable[Mapping[str, Any]],
    *,
    on: dt.date | None = None,
):
    """Bulk screening: a (n_applications, n_rules) boolean NumPy array of passes."""
    import numpy as np

    testers = [rule.tester(on) for rule in rules]
    flat = [test(a) for a in answers for test in testers]
    return np.array(flat, dtype=bool).reshape(-1, len(testers))


# -- compiling -----------------------------------------------------------------------


class _Compiler:
    def __init__(self) -> None:
        self.problems: list[tuple[str, str]] = []
        self.within: FieldSpec | None = None  # the records field a ``where`` looks into

    def fail(self, path: str, message: str) -> None:
        """``message``: English; a Message (a str) keeps its template for translation."""
        self.problems.append((path or "rule", message))

    def node(
        self, rule: Any, fields: Mapping[str, FieldSpec], path: str, depth: int
    ) -> _Node | None:
        if depth > MAX_DEPTH:
            self.fail(path, Message("rules may nest at most %(n)s levels deep", n=MAX_DEPTH))
            return None
        if not isinstance(rule, Mapping):
            self.fail(
                path, 'a rule must be an object such as {"field": ..., "op": ..., "value": ...}'
            )
            return None
        shapes = [shape for shape in SHAPES if shape in rule]
        if len(shapes) != 1:
            self.fail(path, Message("a rule has exactly one of: %(shapes)s (it has %(found)s)",
                                    shapes=", ".join(SHAPES), found=", ".join(shapes))
                      if shapes else Message("a rule has exactly one of: %(shapes)s",
                                             shapes=", ".join(SHAPES)))  # fmt: skip
            return None
        shape = shapes[0]
        allowed = _KEYS[shape] | {"label"} | ({"unit"} if shape in _MEASURED else set())
        for key in rule:
            if key not in allowed:
                self.fail(
                    _join(path, key),
                    Message(
                        "unknown key in a %(shape)s rule; allowed: %(allowed)s",
                        shape=repr(shape),
                        allowed=", ".join(sorted(allowed)),
                    ),
                )
        label = rule.get("label", "")
        if not isinstance(label, str):
            self.fail(_join(path, "label"), "must be text")
            label = ""
        if not isinstance(rule.get("unit", ""), str):
            self.fail(_join(path, "unit"), 'must be text, such as "h" or "years"')
            return None
        return getattr(self, f"_{shape}")(rule, fields, path, depth, label)

    # boolean structure

    def _all(self, rule, fields, path, depth, label):
        return self._group("all", rule, fields, path, depth, label)

    def _any(self, rule, fields, path, depth, label):
        return self._group("any", rule, fields, path, depth, label)

    def _group(self, kind, rule, fields, path, depth, label):
        items = rule[kind]
        where = _join(path, kind)
        if not isinstance(items, list) or not items:
            self.fail(where, "must be a non-empty list of rules")
            return None
        children = [
            self.node(item, fields, f"{where}[{i}]", depth + 1) for i, item in enumerate(items)
        ]
        if any(child is None for child in children):
            return None
        describe = label or _joined_describe(kind, children)
        factories = [c.test_factory for c in children]

        def test_factory(on, kind=kind):
            return _joined(kind, [make(on) for make in factories])

        def explain(answers, on):
            parts = tuple(c.explain(answers, on) for c in children)
            if kind == "all":
                passed = all(p.passed for p in parts)
                progress = sum(p.progress for p in parts) / len(parts)
                failing = [p for p in parts if not p.passed]
                text = label or (
                    Message("all of these are met")
                    if passed
                    else Message("one of the %(total)s conditions is not met",
                                 total=Number(len(parts)))
                    if len(failing) == 1
                    else Message("%(failing)s of %(total)s conditions not met",
                                 failing=Number(len(failing)), total=Number(len(parts)))
                )  # fmt: skip
            else:
                passed = any(p.passed for p in parts)
                progress = max(p.progress for p in parts)
                text = label or (
                    Message("met by one of the alternatives")
                    if passed
                    else Message("none of the %(total)s alternatives is met (the closest is "
                                 "%(percent)s%% of the way)", total=Number(len(parts)),
                                 percent=Number(round(100 * progress)))
                )  # fmt: skip
            return Explanation(
                passed, text, 1.0 if passed else progress, kind, label, children=parts
            )

        return _Node(kind, label, describe, test_factory, explain, children)

    def _not(self, rule, fields, path, depth, label):
        child = self.node(rule["not"], fields, _join(path, "not"), depth + 1)
        if child is None:
            return None
        describe = label or Message("not (%(rule)s)", rule=child.describe)

        def test_factory(on):
            inner = child.test_factory(on)
            return lambda a: not inner(a)

        def explain(answers, on):
            part = child.explain(answers, on)
            passed = not part.passed
            text = label or (
                Message("as required, not: %(rule)s", rule=child.describe)
                if passed
                else Message("must not hold: %(rule)s", rule=child.describe)
            )
            return Explanation(passed, text, 1.0 if passed else 0.0, "not", label, children=(part,))

        return _Node("not", label, describe, test_factory, explain, [child])

    # comparisons

    def _field(self, rule, fields, path, depth, label):
        spec = self.spec(rule["field"], fields, _join(path, "field"))
        op = rule.get("op")
        if spec is None:
            return None
        if op not in _OPS_BY_KIND[spec.kind]:
            template = ("%(op)s does not fit the %(kind)s field %(key)s; use one of: %(ops)s"
                        + ("; use some, count or sum for a records field"
                           if spec.kind == "records" else ""))  # fmt: skip
            self.fail(_join(path, "op"), Message(template, op=repr(op), kind=spec.kind,
                                                 key=repr(spec.key),
                                                 ops=", ".join(_OPS_BY_KIND[spec.kind])))  # fmt: skip
            return None
        if op in PRESENCE:
            if "value" in rule:
                self.fail(_join(path, "value"), Message("%(op)s takes no value", op=repr(op)))
                return None
            return _presence_node(spec, op, label)
        if "value" not in rule:
            self.fail(path, Message("%(op)s needs a value", op=repr(op)))
            return None
        value = self.value(spec, op, rule["value"], _join(path, "value"))
        if value is _INVALID:
            return None
        unit = rule.get("unit", "")
        if unit and spec.kind != "number":
            self.fail(
                _join(path, "unit"),
                Message(
                    "a unit fits a number field; %(key)s is %(kind)s",
                    key=repr(spec.key),
                    kind=spec.kind,
                ),
            )
            return None
        return _comparison_node(spec, op, value, label, unit)

    def _years_since(self, rule, fields, path, depth, label):
        spec = self.spec(rule["years_since"], fields, _join(path, "years_since"))
        if spec is None:
            return None
        if spec.kind != "date":
            self.fail(
                _join(path, "years_since"),
                Message(
                    "years_since needs a date field; %(key)s is %(kind)s",
                    key=repr(spec.key),
                    kind=spec.kind,
                ),
            )
            return None
        op, value = self.threshold(rule, path)
        if op is None:
            return None
        unit = rule.get("unit", "years")
        name = label or Message("years since %(field)s", field=spec.label.lower())
        return _years_node(spec, op, value, name, unit)

    def _some(self, rule, fields, path, depth, label):
        return self._count(dict(rule, op=">=", value=1), fields, path, depth, label, some=True)

    def _count(self, rule, fields, path, depth, label, some=False):
        key = "some" if some else "count"
        spec = self.records(rule[key], fields, _join(path, key))
        if spec is None:
            return None
        where = self.where(rule, spec, path, depth)
        if where is _INVALID:
            return None
        op, value = (">=", 1) if some else self.threshold(rule, path)
        if op is None:
            return None
        return _aggregate_node(
            "some" if some else "count", spec, None, where, op, value, label, rule.get("unit", "")
        )

    def _sum(self, rule, fields, path, depth, label):
        spec = self.records(rule.get("of"), fields, _join(path, "of"))
        if spec is None:
            return None
        columns = {column.key: column for column in spec.fields}
        column = self.spec(rule["sum"], columns, _join(path, "sum"), within=spec)
        if column is None:
            return None
        if column.kind != "number":
            self.fail(
                _join(path, "sum"),
                Message(
                    "sum needs a number column; %(key)s is %(kind)s",
                    key=repr(column.key),
                    kind=column.kind,
                ),
            )
            return None
        where = self.where(rule, spec, path, depth)
        if where is _INVALID:
            return None
        op, value = self.threshold(rule, path)
        if op is None:
            return None
        return _aggregate_node("sum", spec, column, where, op, value, label, rule.get("unit", ""))

    # pieces

    def spec(self, key, fields, path, within: FieldSpec | None = None) -> FieldSpec | None:
        if not isinstance(key, str):
            self.fail(path, "must be the key of a field")
            return None
        within = within or self.within
        if key not in fields:
            known = ", ".join(fields) or "none"
            self.fail(path, Message("%(key)s is not a column of %(within)s (known: %(known)s)",
                                    key=repr(key), within=repr(within.key), known=known)
                      if within else Message("%(key)s is not a field of this form (known: "
                                             "%(known)s)", key=repr(key), known=known))  # fmt: skip
            return None
        return fields[key]

    def records(self, key, fields, path) -> FieldSpec | None:
        spec = self.spec(key, fields, path)
        if spec is not None and spec.kind != "records":
            self.fail(path, Message("%(key)s is a %(kind)s field, not a list of records",
                                    key=repr(key), kind=spec.kind))  # fmt: skip
            return None
        return spec

    def where(self, rule, spec, path, depth):
        if "where" not in rule:
            return None
        columns = {column.key: column for column in spec.fields}
        outer, self.within = self.within, spec
        try:
            node = self.node(rule["where"], columns, _join(path, "where"), depth + 1)
        finally:
            self.within = outer
        return _INVALID if node is None else node

    def threshold(self, rule, path) -> tuple[str | None, float]:
        op, value = rule.get("op"), rule.get("value")
        if op not in COMPARISONS:
            self.fail(_join(path, "op"), Message("must be one of: %(choices)s",
                                                 choices=", ".join(COMPARISONS)))  # fmt: skip
            return None, 0
        if not _is_number(value):
            self.fail(_join(path, "value"), "must be a number")
            return None, 0
        return op, value

    def value(self, spec: FieldSpec, op: str, value: Any, path: str) -> Any:
        if op in MEMBERSHIP:
            if not isinstance(value, list) or not value:
                self.fail(path, Message("%(op)s needs a non-empty list", op=repr(op)))
                return _INVALID
            checked = [self.value(spec, "==", item, f"{path}[{i}]") for i, item in enumerate(value)]
            return _INVALID if _INVALID in checked else checked
        if spec.kind == "number":
            if not _is_number(value):
                self.fail(path, Message("%(key)s is a number field; the value must be a number",
                                        key=repr(spec.key)))  # fmt: skip
                return _INVALID
            return value
        if spec.kind == "date":
            try:
                return dt.date.fromisoformat(value) if isinstance(value, str) else _bad()
            except ValueError:
                self.fail(path, Message("%(key)s is a date field; write the value YYYY-MM-DD",
                                        key=repr(spec.key)))  # fmt: skip
                return _INVALID
        if spec.kind in ("choice", "multi_choice"):
            if value not in spec.choice_values():
                self.fail(
                    path,
                    Message(
                        "%(value)s is not a choice of %(key)s (%(choices)s)",
                        value=repr(value),
                        key=repr(spec.key),
                        choices=", ".join(spec.choice_values()),
                    ),
                )
                return _INVALID
            if op in ("<", "<=", ">", ">=") and not spec.ordered:
                self.fail(
                    path,
                    Message(
                        "the choices of %(key)s are not ordered, so %(op)s cannot compare them",
                        key=repr(spec.key),
                        op=repr(op),
                    ),
                )
                return _INVALID
            return value
        if not isinstance(value, str):
            self.fail(path, Message("%(key)s is a text field; the value must be text",
                                    key=repr(spec.key)))  # fmt: skip
            return _INVALID
        return value


_KEYS = {
    "all": {"all"}, "any": {"any"}, "not": {"not"},
    "field": {"field", "op", "value"},
    "years_since": {"years_since", "op", "value"},
    "some": {"some", "where"},
    "count": {"count", "where", "op", "value"},
    "sum": {"sum", "of", "where", "op", "value"},
}  # fmt: skip
_MEASURED = frozenset({"field", "years_since", "count", "sum"})  # the shapes that take a unit
_INVALID = object()


def _bad():
    raise ValueError


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def compile_rule(rule: Any, form: Iterable[FieldSpec]) -> CompiledRule:
    """Check ``rule`` against ``form``; raise RuleError listing every problem."""
    fields = {spec.key: spec for spec in form}
    compiler = _Compiler()
    root = compiler.node(rule, fields, "", 0)
    if compiler.problems or root is None:
        raise RuleError(compiler.problems or [("rule", "is not a valid rule")])
    return CompiledRule(rule, root)


# -- node builders -------------------------------------------------------------------


def _presence_node(spec: FieldSpec, op: str, label: str) -> _Node:
    wanted = op == "answered"
    name = label or spec.label
    describe = Message("%(name)s is answered" if wanted else "%(name)s is left empty", name=name)

    def present(answers):
        value = answers.get(spec.key)
        return value not in (None, "", [])

    def test_factory(on):
        return lambda a: present(a) == wanted

    def explain(answers, on):
        passed = present(answers) == wanted
        if wanted:
            text = Message("%(name)s: answered" if passed else "%(name)s: not answered", name=name)
        else:
            text = Message("%(name)s: left empty, as required" if passed
                           else "%(name)s: must be left empty", name=name)  # fmt: skip
        return Explanation(passed, text, 1.0 if passed else 0.0, "field", label or spec.label)

    return _Node("field", label, describe, test_factory, explain)


def _choice_label(spec: FieldSpec, value: Any) -> str:
    labels = _labels(spec.choices)
    return labels.get(value, str(value)) if isinstance(value, str) else str(value)


@functools.lru_cache(maxsize=256)
def _labels(choices: tuple) -> dict[str, str]:
    """A choice's label by value; explanations name every choice of a list, for each of
    thousands of applications screened."""
    return {choice.value: choice.label for choice in choices}


def _show(spec: FieldSpec, value: Any, unit: str = "") -> str:
    if isinstance(value, list):
        return ", ".join(_show(spec, item) for item in value) + (f" {unit}" if unit else "")
    if spec.kind in ("choice", "multi_choice"):
        return _choice_label(spec, value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if _is_number(value):
        return _with_unit(value, unit)
    return str(value)


def _comparison_node(spec: FieldSpec, op: str, value: Any, label: str, unit: str = "") -> _Node:
    name = label or spec.label
    describe = Message(_WORDS[op], name=name, value=_show(spec, value, unit))
    key = spec.key
    ranks = {c.value: i for i, c in enumerate(spec.choices)} if spec.ordered else None

    # the fast predicate on the raw answer value
    if op in CONTAINMENT:
        want = op == "contains"

        def check(v):
            return isinstance(v, list) and (value in v) == want
    elif spec.kind == "choice" and op in COMPARISONS + MEMBERSHIP:
        if op in MEMBERSHIP:
            accepted = frozenset(value)
        elif ranks is not None and op not in ("==", "!="):
            accepted = frozenset(c for c, r in ranks.items() if _COMPARE[op](r, ranks[value]))
        else:
            accepted = frozenset(spec.choice_values()) - {value} if op == "!=" else {value}
        accepted = frozenset(accepted)
        if op == "not in":
            accepted = frozenset(spec.choice_values()) - accepted

        def check(v):
            return type(v) is str and v in accepted
    elif spec.kind == "date":
        compare = _COMPARE.get(op)

        def check(v):
            try:
                return compare(dt.date.fromisoformat(v), value)
            except (TypeError, ValueError):
                return False
    elif op in MEMBERSHIP:
        members = list(value)
        inside = op == "in"

        def check(v):
            return v is not None and (v in members) == inside
    else:
        compare = _COMPARE[op]
        numeric = spec.kind == "number"

        def check(v):
            if v is None or (numeric and not _is_number(v)):
                return False
            try:
                return compare(v, value)
            except TypeError:
                return False

    def test_factory(on):
        return lambda a: check(a.get(key))

    def explain(answers, on):
        raw = answers.get(key)
        if raw in (None, "", []):
            return Explanation(
                False,
                Message("%(name)s: not answered", name=name),
                0.0,
                "field",
                name,
                required=_jsonable(value),
            )
        passed = check(raw)
        shown = _show(spec, raw, unit)
        if passed:
            text = Message(_PASSED[op], name=name, shown=shown, value=_show(spec, value, unit))
            return Explanation(
                True, text, 1.0, "field", name, actual=_jsonable(raw), required=_jsonable(value),
                unit=unit,
            )  # fmt: skip
        text = Message(_MUST[op], name=name, shown=shown,
                       value=_show(spec, value) if op in CONTAINMENT else _show(spec, value, unit))  # fmt: skip
        progress, missing = 0.0, None
        if spec.kind == "number" and _is_number(raw) and op in (">=", ">") and value > 0:
            progress = max(0.0, min(1.0, raw / value))
            missing = value - raw
            text = Message(_SHORT, actual=_number(raw), required=_with_unit(value, unit), name=name)
        elif ranks is not None and op in (">=", ">") and isinstance(raw, str) and raw in ranks:
            progress = max(0.0, min(1.0, (ranks[raw] + 1) / (ranks[value] + 1)))
        return Explanation(
            False,
            text,
            progress,
            "field",
            name,
            actual=_jsonable(raw),
            required=_jsonable(value),
            missing=missing,
            unit=unit,
        )

    return _Node("field", label, describe, test_factory, explain)


def _joined(kind: str, tests: list[Callable[[Mapping], bool]]) -> Callable[[Mapping], bool]:
    """``all``/``any`` of testers; two or three children without a generator (the
    common case, and the hot loop of bulk screening)."""
    if len(tests) == 1:
        return tests[0]
    if len(tests) == 2:
        first, second = tests
        if kind == "all":
            return lambda a: first(a) and second(a)
        return lambda a: first(a) or second(a)
    if len(tests) == 3:
        first, second, third = tests
        if kind == "all":
            return lambda a: first(a) and second(a) and third(a)
        return lambda a: first(a) or second(a) or third(a)
    if kind == "all":
        return lambda a: all(t(a) for t in tests)
    return lambda a: any(t(a) for t in tests)


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _years_between(start: dt.date, on: dt.date) -> float:
    return (on - start).days / YEAR_DAYS


def _years_node(spec: FieldSpec, op: str, value: float, name: str, unit: str) -> _Node:
    describe = Message(_WORDS[op], name=name, value=_with_unit(value, unit))
    compare = _COMPARE[op]
    key = spec.key

    def test_factory(on):
        ordinal = on.toordinal()

        def test(answers):
            raw = answers.get(key)
            try:
                days = ordinal - dt.date.fromisoformat(raw).toordinal()
            except (TypeError, ValueError):
                return False
            return compare(days / YEAR_DAYS, value)

        return test

    def explain(answers, on):
        raw = answers.get(key)
        try:
            start = dt.date.fromisoformat(raw)
        except (TypeError, ValueError):
            text = Message("%(name)s: not answered" if raw in (None, "")
                           else "%(name)s: not a valid date", name=name)  # fmt: skip
            return Explanation(
                False,
                text,
                0.0,
                "years_since",
                name,
                required=value,
                missing=value if op in (">=", ">") else None,
                unit=unit,
            )
        years = round(_years_between(start, on), 1)
        exact = _years_between(start, on)
        passed = compare(exact, value)
        if passed:
            text = Message(_PASSED[op], name=name, shown=_with_unit(years, unit),
                           value=_with_unit(value, unit))  # fmt: skip
            return Explanation(
                True, text, 1.0, "years_since", name, actual=years, required=value, unit=unit
            )
        if op in (">=", ">"):
            missing = round(max(0.0, value - exact), 1)
            text = Message(_SHORT, actual=_number(max(years, 0)), required=_with_unit(value, unit),
                           name=name)  # fmt: skip
            progress = max(0.0, min(1.0, exact / value)) if value > 0 else 0.0
        else:
            missing, progress = None, 0.0
            text = Message(_MUST[op], name=name, shown=_with_unit(years, unit),
                           value=_with_unit(value, unit))  # fmt: skip
        return Explanation(
            False,
            text,
            progress,
            "years_since",
            name,
            actual=years,
            required=value,
            missing=missing,
            unit=unit,
        )

    return _Node("years_since", name, describe, test_factory, explain)


def _aggregate_node(
    kind: str,
    records: FieldSpec,
    column: FieldSpec | None,
    where: _Node | None,
    op: str,
    value: float,
    label: str,
    unit: str,
) -> _Node:
    key = records.key
    if kind == "sum":
        name = label or Message("%(column)s in %(records)s", column=column.label.lower(),
                                records=records.label.lower())  # fmt: skip
        if where is not None and not label:
            name = Message("%(what)s where %(rule)s", what=name, rule=where.describe)
    else:
        noun = records.label.lower()
        name = label or (Message("%(what)s where %(rule)s", what=noun, rule=where.describe)
                         if where else noun)  # fmt: skip
    if kind == "some":
        describe = label or (
            Message("at least one of %(records)s with %(rule)s", records=records.label.lower(),
                    rule=where.describe)
            if where
            else Message("at least one of %(records)s", records=records.label.lower())
        )  # fmt: skip
    else:
        describe = Message(_WORDS[op], name=name, value=_with_unit(value, unit))
    compare = _COMPARE[op]
    column_key = column.key if column else None

    def rows_of(answers):
        rows = answers.get(key)
        if not isinstance(rows, list):
            return []
        return [row for row in rows if isinstance(row, Mapping)]

    def test_factory(on):
        match = where.test_factory(on) if where else None
        if kind == "some":

            def test(answers):
                rows = answers.get(key)
                if not isinstance(rows, list):
                    return False
                if match is None:
                    return bool(rows)
                for r in rows:  # noqa: SIM110 (a loop: no generator in the hot path)
                    if isinstance(r, Mapping) and match(r):
                        return True
                return False
        elif kind == "count":

            def test(answers):
                rows = rows_of(answers)
                return compare(sum(1 for r in rows if match is None or match(r)), value)
        else:

            def test(answers):
                rows = answers.get(key)
                total = 0
                if isinstance(rows, list):
                    for r in rows:
                        if isinstance(r, Mapping) and (match is None or match(r)):
                            amount = r.get(column_key)
                            if _is_number(amount):
                                total += amount
                return compare(total, value)

        return test

    def explain(answers, on):
        rows = rows_of(answers)
        parts = tuple(where.explain(r, on) for r in rows) if where else ()
        matching = [r for r, p in zip(rows, parts, strict=True) if p.passed] if where else rows
        if kind == "sum":
            amounts = (r.get(column_key) for r in matching)
            actual = sum(a for a in amounts if _is_number(a))
        else:
            actual = len(matching)
        passed = compare(actual, value)
        children = tuple(
            replace(p, kind="record", text=Message("%(records)s %(number)s: %(text)s",
                                                   records=records.label, number=Number(i + 1),
                                                   text=p.text))
            for i, p in enumerate(parts)
        )  # fmt: skip
        if kind == "some":
            if passed:
                text = describe
            elif not rows or not where:
                text = Message("%(name)s: not answered", name=records.label)
            elif len(rows) == 1:
                text = Message("%(records)s: the only one given does not meet: %(rule)s",
                               records=records.label, rule=where.describe)  # fmt: skip
            else:
                text = Message("none of the %(count)s %(records)s meets: %(rule)s",
                               count=Number(len(rows)), records=records.label.lower(),
                               rule=where.describe)  # fmt: skip
            best = max((p.progress for p in parts), default=0.0)
            return Explanation(
                passed,
                text,
                1.0 if passed else best,
                "some",
                name,
                actual=actual,
                required=1,
                children=children,
            )
        if passed:
            text = Message(_PASSED[op], name=name, shown=_with_unit(actual, unit),
                           value=_with_unit(value, unit))  # fmt: skip
            return Explanation(
                True,
                text,
                1.0,
                kind,
                name,
                actual=actual,
                required=value,
                unit=unit,
                children=children,
            )
        if op in (">=", ">"):
            missing = value - actual
            text = Message(_SHORT, actual=_number(actual), required=_with_unit(value, unit),
                           name=name)  # fmt: skip
            if not rows and kind == "sum":
                text = Message("%(text)s (%(records)s: not answered)", text=text,
                               records=records.label.lower())  # fmt: skip
            progress = max(0.0, min(1.0, actual / value)) if value > 0 else 0.0
        else:
            missing, progress = None, 0.0
            text = Message(_MUST[op], name=name, shown=_with_unit(actual, unit),
                           value=_with_unit(value, unit))  # fmt: skip
        return Explanation(
            False,
            text,
            progress,
            kind,
            name,
            actual=actual,
            required=value,
            missing=missing,
            unit=unit,
            children=children,
        )

    return _Node(kind, label, describe, test_factory, explain, [where] if where else [])
