"""The astronaut-candidate program used by the synthetic world and the demo.

Its form, requirements and rubric are modelled on public astronaut-candidate
announcements: citizenship, a master's degree in a STEM field, 1,000 hours of
pilot-in-command time in jet aircraft or three years of related professional
experience, and a long-duration spaceflight medical standard.
"""

from __future__ import annotations

from .forms import Choice, FieldSpec
from .program import CriterionSpec, RequirementSpec, StageSpec, banded_levels

MEMBER_STATES = (
    ("AR", "Argentina"), ("BR", "Brazil"), ("CA", "Canada"), ("CL", "Chile"),
    ("DE", "Germany"), ("ES", "Spain"), ("FR", "France"), ("GH", "Ghana"),
    ("IT", "Italy"), ("JP", "Japan"), ("KE", "Kenya"), ("KR", "South Korea"),
    ("MX", "Mexico"), ("NG", "Nigeria"), ("NO", "Norway"), ("NZ", "New Zealand"),
    ("PT", "Portugal"), ("SE", "Sweden"), ("US", "United States"),
)  # fmt: skip
OTHER_STATES = (("IN", "India"), ("PH", "Philippines"), ("TR", "Türkiye"), ("ZA", "South Africa"))
DEGREE_LEVELS = (("bachelor", "Bachelor's"), ("master", "Master's"), ("doctorate", "Doctorate"))
STEM_FIELDS = (
    ("physics", "Physics"), ("aerospace_engineering", "Aerospace engineering"),
    ("mechanical_engineering", "Mechanical engineering"),
    ("electrical_engineering", "Electrical engineering"), ("computer_science", "Computer science"),
    ("mathematics", "Mathematics"), ("chemistry", "Chemistry"), ("biology", "Biology"),
    ("geology", "Geology"), ("medicine", "Medicine"),
)  # fmt: skip
OTHER_FIELDS = (("economics", "Economics"), ("history", "History"), ("law", "Law"))
AIRCRAFT_TYPES = (
    ("jet", "Jet"),
    ("turboprop", "Turboprop"),
    ("piston", "Piston"),
    ("helicopter", "Helicopter"),
)
FLIGHT_ROLES = (
    ("pilot_in_command", "Pilot in command"),
    ("co_pilot", "Co-pilot"),
    ("student", "Student"),
)
MEDICAL_CLASSES = (
    ("none", "Not assessed"),
    ("class_3", "Class 3"),
    ("class_2", "Class 2"),
    ("class_1", "Class 1 (long-duration spaceflight)"),
)
LANGUAGES = (
    ("en", "English"),
    ("es", "Spanish"),
    ("fr", "French"),
    ("ru", "Russian"),
    ("ja", "Japanese"),
    ("de", "German"),
)


def _choices(pairs: tuple[tuple[str, str], ...]) -> tuple[Choice, ...]:
    return tuple(Choice(value, label) for value, label in pairs)


FORM: tuple[FieldSpec, ...] = (
    FieldSpec("full_name", "Full name", "text", required=True, max_length=200),
    FieldSpec("date_of_birth", "Date of birth", "date", required=True, min_value=-100, max_value=0),
    FieldSpec("citizenship", "Citizenship", "choice", required=True, choices=_choices(MEMBER_STATES + OTHER_STATES)),
    FieldSpec("organisation", "Current organisation", "text", max_length=200),
    FieldSpec(
        "degrees", "Degrees", "records", required=True,
        help_text="Every completed degree, one line each.",
        fields=(
            FieldSpec("level", "Level", "choice", required=True, choices=_choices(DEGREE_LEVELS), ordered=True),
            FieldSpec("field", "Field", "choice", required=True, choices=_choices(STEM_FIELDS + OTHER_FIELDS)),
            FieldSpec("institution", "Institution", "text", required=True, max_length=200),
            FieldSpec("year", "Year completed", "number", required=True, min_value=1950, max_value=2100),
        ),
    ),
    FieldSpec(
        "experience_start", "Start of related professional experience", "date",
        help_text="When your first full-time position in a STEM field or as a pilot began.",
        min_value=-80, max_value=0,
    ),
    FieldSpec(
        "flights", "Flight log", "records",
        help_text="Total hours per aircraft type and role.",
        fields=(
            FieldSpec("aircraft_type", "Aircraft type", "choice", required=True, choices=_choices(AIRCRAFT_TYPES)),
            FieldSpec("role", "Role", "choice", required=True, choices=_choices(FLIGHT_ROLES)),
            FieldSpec("hours", "Hours", "number", required=True, min_value=0, max_value=50_000),
        ),
    ),
    FieldSpec(
        "medical_class", "Medical certificate", "choice", required=True,
        choices=_choices(MEDICAL_CLASSES), ordered=True,
    ),
    FieldSpec("languages", "Languages spoken", "multi_choice", choices=_choices(LANGUAGES)),
    FieldSpec("statement", "Personal statement", "long_text", required=True, max_length=8_000),
    FieldSpec("cv", "Curriculum vitae (PDF)", "file"),
)  # fmt: skip

REQUIREMENTS: tuple[RequirementSpec, ...] = (
    RequirementSpec(
        "citizenship", "Citizenship of a member state",
        "You must be a citizen of one of the program's member states.",
        {"field": "citizenship", "op": "in", "value": [code for code, _ in MEMBER_STATES]},
    ),
    RequirementSpec(
        "stem_degree", "Master's degree in a STEM field",
        "A master's degree or doctorate in engineering, a physical or biological science, "
        "computer science, mathematics or medicine.",
        {"some": "degrees", "where": {"all": [
            {"field": "level", "op": ">=", "value": "master"},
            {"field": "field", "op": "in", "value": [code for code, _ in STEM_FIELDS]},
        ]}},
    ),
    RequirementSpec(
        "experience", "Jet time or professional experience",
        "At least 1,000 hours of pilot-in-command time in jet aircraft, or at least three "
        "years of related professional experience.",
        {"any": [
            {"sum": "hours", "of": "flights", "where": {"all": [
                {"field": "aircraft_type", "op": "==", "value": "jet"},
                {"field": "role", "op": "==", "value": "pilot_in_command"},
            ]}, "op": ">=", "value": 1000, "label": "pilot-in-command jet time", "unit": "h"},
            {"years_since": "experience_start", "op": ">=", "value": 3,
             "label": "related professional experience", "unit": "years"},
        ]},
    ),
    RequirementSpec(
        "medical", "Medical standard",
        "A class 2 medical certificate or better; class 1 is required before flight.",
        {"field": "medical_class", "op": ">=", "value": "class_2"},
    ),
)  # fmt: skip

_BANDS = {
    "technical": [
        (1, "Little technical depth shown yet.", "Complete a degree or course in a STEM field."),
        (
            4,
            "Solid grounding in one technical field.",
            "Take on hands-on technical projects and publish or present them.",
        ),
        (
            7,
            "Deep expertise, applied to real problems.",
            "Lead a technical project end to end; broaden to a second field.",
        ),
        (
            9,
            "Recognised expert whose work others build on.",
            "Keep going: mentor others in your field.",
        ),
    ],
    "operational": [
        (
            1,
            "No operational experience yet.",
            "Seek field work, flight training or expedition roles.",
        ),
        (
            4,
            "Some operational experience in calm conditions.",
            "Log more hours in demanding environments (flight, field, sea).",
        ),
        (
            7,
            "Extensive operational experience, some of it high-stakes.",
            "Take roles with responsibility for others' safety.",
        ),
        (
            9,
            "Exceptional record in high-risk operations.",
            "Keep current and share your procedures.",
        ),
    ],
    "teamwork": [
        (
            1,
            "Little evidence of working in teams.",
            "Join a team project and describe your part in it.",
        ),
        (4, "A reliable team member.", "Take on a role that coordinates others."),
        (
            7,
            "Makes teams better; resolves conflict.",
            "Work in isolated or international teams (analog missions, expeditions).",
        ),
        (
            9,
            "Outstanding team member in isolated, confined settings.",
            "Help others grow into such teams.",
        ),
    ],
    "leadership": [
        (1, "No leadership experience shown.", "Lead something small: a club, a project, a shift."),
        (
            4,
            "Has led small groups.",
            "Lead a larger group through a hard moment and reflect on it.",
        ),
        (7, "Leads under pressure with sound judgement.", "Lead across organisations or cultures."),
        (9, "Proven leader in critical situations.", "Share what you learnt; coach new leaders."),
    ],
    "communication": [
        (
            1,
            "Hard to follow in writing or speech.",
            "Practise explaining your work to non-specialists.",
        ),
        (4, "Clear in familiar settings.", "Give public talks; learn a second working language."),
        (
            7,
            "Clear and engaging with any audience.",
            "Teach or do outreach regularly; write for the public.",
        ),
        (9, "An exceptional communicator in several languages.", "Keep it up; mentor others."),
    ],
    "adaptability": [
        (
            1,
            "Little evidence of coping with change.",
            "Seek unfamiliar settings: a new country, a new field.",
        ),
        (4, "Adapts when given time.", "Take on assignments with short notice and changing goals."),
        (
            7,
            "Thrives on change and ambiguity.",
            "Test yourself in extreme environments (polar, underwater, high altitude).",
        ),
        (9, "Calm and effective in any environment.", "Pass on how you prepare."),
    ],
}


def _criterion(key: str, name: str, description: str, weight: float, advice: str) -> CriterionSpec:
    return CriterionSpec(
        key, name, description, weight, banded_levels((1, 10), _BANDS[key]), advice
    )


CRITERIA: tuple[CriterionSpec, ...] = (
    _criterion("technical", "Technical expertise", "Depth and breadth in a STEM field.", 0.25,
               "Deepen one field and show it in projects others can see."),
    _criterion("operational", "Operational experience", "Flight, field or expedition experience.", 0.20,
               "Log hours in demanding operations: flight, field science, sea or polar work."),
    _criterion("teamwork", "Teamwork", "Working well with others in confined, isolated settings.", 0.15,
               "Join long team efforts, ideally isolated ones, and show your part."),
    _criterion("leadership", "Leadership", "Judgement and leadership under pressure.", 0.15,
               "Lead people through a hard moment and show what you decided and why."),
    _criterion("communication", "Communication", "Clarity with the public and the team, in several languages.", 0.10,
               "Teach, give talks, and learn a second working language."),
    _criterion("adaptability", "Adaptability", "Coping with change, ambiguity and extreme environments.", 0.15,
               "Seek unfamiliar and extreme environments and describe how you coped."),
)  # fmt: skip

STAGES: tuple[StageSpec, ...] = (
    StageSpec("screening", "Eligibility screening", "screening"),
    StageSpec("panel", "Panel review", "review", reviews_per_application=3),
    StageSpec("selection", "Final selection", "selection"),
)

# The form's answers that name the applicant; hidden in blind review.
IDENTIFYING = frozenset({"full_name", "date_of_birth", "organisation"})

PROGRAM_NAME = "Astronaut Candidate Program"
PROGRAM_SLUG = "astronaut-candidates"
PROGRAM_ORGANISATION = "International Space Exploration Consortium (fictional)"
PROGRAM_DESCRIPTION = (
    "A yearly call for astronaut candidates. A handful are selected from thousands; every "
    "applicant who is not selected receives a map of how far they were and what to work on."
)
