"""The astronaut-candidate program in Spanish: a phrasebook from each English text of its
configuration (astronaut.py) to its translation, as a cycle's ``translations`` keep it."""

from __future__ import annotations

PROGRAM = {
    "Astronaut Candidate Program": "Programa de Candidatos a Astronauta",
    "International Space Exploration Consortium (fictional)":
        "Consorcio Internacional de Exploración Espacial (ficticio)",
    "A yearly call for astronaut candidates. A handful are selected from thousands; every "
    "applicant who is not selected receives a map of how far they were and what to work on.":
        "Una convocatoria anual de candidatos a astronauta. De miles de solicitudes se "
        "selecciona un puñado; cada persona no seleccionada recibe un mapa de a qué distancia "
        "estuvo y en qué trabajar.",
}  # fmt: skip

COUNTRIES = {
    "Argentina": "Argentina", "Brazil": "Brasil", "Canada": "Canadá", "Chile": "Chile",
    "Germany": "Alemania", "Spain": "España", "France": "Francia", "Ghana": "Ghana",
    "Italy": "Italia", "Japan": "Japón", "Kenya": "Kenia", "South Korea": "Corea del Sur",
    "Mexico": "México", "Nigeria": "Nigeria", "Norway": "Noruega", "New Zealand": "Nueva Zelanda",
    "Portugal": "Portugal", "Sweden": "Suecia", "United States": "Estados Unidos",
    "India": "India", "Philippines": "Filipinas", "Türkiye": "Turquía",
    "South Africa": "Sudáfrica",
}  # fmt: skip

FORM = {
    "Full name": "Nombre completo",
    "Date of birth": "Fecha de nacimiento",
    "Citizenship": "Nacionalidad",
    "Current organisation": "Organización actual",
    "Degrees": "Títulos",
    "Every completed degree, one line each.": "Cada título terminado, uno por línea.",
    "Level": "Nivel",
    "Bachelor's": "Grado",
    "Master's": "Máster",
    "Doctorate": "Doctorado",
    "Field": "Área",
    "Physics": "Física",
    "Aerospace engineering": "Ingeniería aeroespacial",
    "Mechanical engineering": "Ingeniería mecánica",
    "Electrical engineering": "Ingeniería eléctrica",
    "Computer science": "Informática",
    "Mathematics": "Matemáticas",
    "Chemistry": "Química",
    "Biology": "Biología",
    "Geology": "Geología",
    "Medicine": "Medicina",
    "Economics": "Economía",
    "History": "Historia",
    "Law": "Derecho",
    "Institution": "Institución",
    "Year completed": "Año de finalización",
    "Start of related professional experience": "Inicio de la experiencia profesional relacionada",
    "When your first full-time position in a STEM field or as a pilot began.":
        "Cuándo empezó su primer puesto a tiempo completo en un área STEM o como piloto.",
    "Flight log": "Registro de vuelo",
    "Total hours per aircraft type and role.": "Horas totales por tipo de aeronave y función.",
    "Aircraft type": "Tipo de aeronave",
    "Jet": "Avión a reacción",
    "Turboprop": "Turbohélice",
    "Piston": "Pistón",
    "Helicopter": "Helicóptero",
    "Role": "Función",
    "Pilot in command": "Piloto al mando",
    "Co-pilot": "Copiloto",
    "Student": "Alumno",
    "Hours": "Horas",
    "Medical certificate": "Certificado médico",
    "Not assessed": "Sin evaluar",
    "Class 3": "Clase 3",
    "Class 2": "Clase 2",
    "Class 1 (long-duration spaceflight)": "Clase 1 (vuelo espacial de larga duración)",
    "Languages spoken": "Idiomas que habla",
    "English": "Inglés",
    "Spanish": "Español",
    "French": "Francés",
    "Russian": "Ruso",
    "Japanese": "Japonés",
    "German": "Alemán",
    "Personal statement": "Declaración personal",
    "Curriculum vitae (PDF)": "Currículum vítae (PDF)",
}  # fmt: skip

REQUIREMENTS = {
    "Citizenship of a member state": "Nacionalidad de un Estado miembro",
    "You must be a citizen of one of the program's member states.":
        "Debe tener la nacionalidad de uno de los Estados miembros del programa.",
    "Master's degree in a STEM field": "Máster en un área STEM",
    "A master's degree or doctorate in engineering, a physical or biological science, "
    "computer science, mathematics or medicine.":
        "Un máster o doctorado en ingeniería, ciencias físicas o biológicas, informática, "
        "matemáticas o medicina.",
    "Jet time or professional experience": "Horas en aviones a reacción o experiencia profesional",
    "At least 1,000 hours of pilot-in-command time in jet aircraft, or at least three "
    "years of related professional experience.":
        "Al menos 1.000 horas como piloto al mando en aviones de reacción, o al menos tres "
        "años de experiencia profesional relacionada.",
    "pilot-in-command jet time": "horas en aviones a reacción como piloto al mando",
    "related professional experience": "experiencia profesional relacionada",
    "Medical standard": "Requisito médico",
    "A class 2 medical certificate or better; class 1 is required before flight.":
        "Un certificado médico de clase 2 o superior; la clase 1 se exige antes de volar.",
}  # fmt: skip

RUBRIC = {
    "Technical expertise": "Pericia técnica",
    "Depth and breadth in a STEM field.": "Profundidad y amplitud en un área STEM.",
    "Deepen one field and show it in projects others can see.":
        "Profundice en un área y muéstrelo en proyectos que otras personas puedan ver.",
    "Operational experience": "Experiencia operativa",
    "Flight, field or expedition experience.": "Experiencia de vuelo, de campo o en expediciones.",
    "Log hours in demanding operations: flight, field science, sea or polar work.":
        "Acumule horas en operaciones exigentes: vuelo, ciencia de campo, trabajo en el mar o polar.",
    "Teamwork": "Trabajo en equipo",
    "Working well with others in confined, isolated settings.":
        "Trabajar bien con otras personas en entornos aislados y confinados.",
    "Join long team efforts, ideally isolated ones, and show your part.":
        "Súmese a trabajos de equipo largos, mejor si son aislados, y muestre su parte.",
    "Leadership": "Liderazgo",
    "Judgement and leadership under pressure.": "Criterio y liderazgo bajo presión.",
    "Lead people through a hard moment and show what you decided and why.":
        "Guíe a un grupo en un momento difícil y muestre qué decidió y por qué.",
    "Communication": "Comunicación",
    "Clarity with the public and the team, in several languages.":
        "Claridad con el público y con el equipo, en varios idiomas.",
    "Teach, give talks, and learn a second working language.":
        "Enseñe, dé charlas y aprenda un segundo idioma de trabajo.",
    "Adaptability": "Adaptabilidad",
    "Coping with change, ambiguity and extreme environments.":
        "Afrontar el cambio, la ambigüedad y los entornos extremos.",
    "Seek unfamiliar and extreme environments and describe how you coped.":
        "Busque entornos desconocidos y extremos y cuente cómo los afrontó.",
    # levels, as the bands describe them, and their advice
    "Little technical depth shown yet.": "Todavía muestra poca profundidad técnica.",
    "Complete a degree or course in a STEM field.": "Termine un título o un curso en un área STEM.",
    "Solid grounding in one technical field.": "Base sólida en un área técnica.",
    "Take on hands-on technical projects and publish or present them.":
        "Asuma proyectos técnicos prácticos y publíquelos o preséntelos.",
    "Deep expertise, applied to real problems.": "Pericia profunda, aplicada a problemas reales.",
    "Lead a technical project end to end; broaden to a second field.":
        "Dirija un proyecto técnico de principio a fin; amplíe a una segunda área.",
    "Recognised expert whose work others build on.":
        "Experta o experto reconocido cuyo trabajo sirve de base a otros.",
    "Keep going: mentor others in your field.": "Siga así: oriente a otras personas de su área.",
    "No operational experience yet.": "Todavía sin experiencia operativa.",
    "Seek field work, flight training or expedition roles.":
        "Busque trabajo de campo, formación de vuelo o puestos en expediciones.",
    "Some operational experience in calm conditions.": "Algo de experiencia operativa en condiciones tranquilas.",
    "Log more hours in demanding environments (flight, field, sea).":
        "Acumule más horas en entornos exigentes (vuelo, campo, mar).",
    "Extensive operational experience, some of it high-stakes.":
        "Amplia experiencia operativa, parte de ella con mucho en juego.",
    "Take roles with responsibility for others' safety.":
        "Asuma funciones con responsabilidad sobre la seguridad de otras personas.",
    "Exceptional record in high-risk operations.": "Trayectoria excepcional en operaciones de alto riesgo.",
    "Keep current and share your procedures.": "Manténgase al día y comparta sus procedimientos.",
    "Little evidence of working in teams.": "Pocas pruebas de trabajo en equipo.",
    "Join a team project and describe your part in it.":
        "Únase a un proyecto en equipo y describa su parte.",
    "A reliable team member.": "Un miembro fiable del equipo.",
    "Take on a role that coordinates others.": "Asuma una función que coordine a otras personas.",
    "Makes teams better; resolves conflict.": "Mejora los equipos; resuelve conflictos.",
    "Work in isolated or international teams (analog missions, expeditions).":
        "Trabaje en equipos aislados o internacionales (misiones análogas, expediciones).",
    "Outstanding team member in isolated, confined settings.":
        "Miembro sobresaliente de equipos en entornos aislados y confinados.",
    "Help others grow into such teams.": "Ayude a otras personas a integrarse en esos equipos.",
    "No leadership experience shown.": "No muestra experiencia de liderazgo.",
    "Lead something small: a club, a project, a shift.":
        "Dirija algo pequeño: un club, un proyecto, un turno.",
    "Has led small groups.": "Ha dirigido grupos pequeños.",
    "Lead a larger group through a hard moment and reflect on it.":
        "Guíe a un grupo mayor en un momento difícil y reflexione sobre ello.",
    "Leads under pressure with sound judgement.": "Dirige bajo presión con buen criterio.",
    "Lead across organisations or cultures.": "Dirija entre organizaciones o culturas.",
    "Proven leader in critical situations.": "Liderazgo probado en situaciones críticas.",
    "Share what you learnt; coach new leaders.":
        "Comparta lo que aprendió; acompañe a quienes empiezan a dirigir.",
    "Hard to follow in writing or speech.": "Cuesta seguirle por escrito o de palabra.",
    "Practise explaining your work to non-specialists.":
        "Practique explicar su trabajo a personas no especialistas.",
    "Clear in familiar settings.": "Claridad en entornos conocidos.",
    "Give public talks; learn a second working language.":
        "Dé charlas públicas; aprenda un segundo idioma de trabajo.",
    "Clear and engaging with any audience.": "Claridad y cercanía con cualquier público.",
    "Teach or do outreach regularly; write for the public.":
        "Enseñe o haga divulgación con regularidad; escriba para el público.",
    "An exceptional communicator in several languages.":
        "Comunicación excepcional en varios idiomas.",
    "Keep it up; mentor others.": "Siga así; oriente a otras personas.",
    "Little evidence of coping with change.": "Pocas pruebas de afrontar el cambio.",
    "Seek unfamiliar settings: a new country, a new field.":
        "Busque entornos desconocidos: un país nuevo, un área nueva.",
    "Adapts when given time.": "Se adapta cuando tiene tiempo.",
    "Take on assignments with short notice and changing goals.":
        "Acepte encargos con poca antelación y objetivos cambiantes.",
    "Thrives on change and ambiguity.": "Se crece ante el cambio y la ambigüedad.",
    "Test yourself in extreme environments (polar, underwater, high altitude).":
        "Póngase a prueba en entornos extremos (polares, submarinos, de gran altitud).",
    "Calm and effective in any environment.": "Calma y eficacia en cualquier entorno.",
    "Pass on how you prepare.": "Transmita cómo se prepara.",
}  # fmt: skip

STAGES = {
    "Eligibility screening": "Comprobación de requisitos",
    "Panel review": "Evaluación del comité",
    "Final selection": "Selección final",
}


def cycle_name(year: int) -> tuple[str, str]:
    """A cycle's name in English and Spanish."""
    return f"{year} call", f"Convocatoria {year}"


def phrasebook(*cycle_names: tuple[str, str]) -> dict[str, str]:
    """The configuration's phrasebook, with the names of the given cycles."""
    return {**COUNTRIES, **FORM, **REQUIREMENTS, **RUBRIC, **STAGES, **dict(cycle_names)}
