"""Fictional names and places for the synthetic world (any likeness is coincidence)."""

FIRST_NAMES = (
    "Ada", "Adebayo", "Aiko", "Akira", "Alejandro", "Amara", "Ana", "Anders", "Aroha", "Astrid",
    "Beatriz", "Camille", "Carlos", "Chiara", "Chidi", "Daniel", "Elena", "Emeka", "Emil", "Fatima",
    "Felipe", "Freya", "Gabriel", "Hana", "Hiroshi", "Ines", "Ingrid", "Isabel", "Jamal", "Javier",
    "Jin", "Jonas", "Julia", "Kai", "Kofi", "Lars", "Leila", "Lucia", "Luis", "Maja",
    "Malik", "Marco", "Mariana", "Mateo", "Mei", "Mina", "Nadia", "Nia", "Noah", "Olga",
    "Omar", "Paulo", "Priya", "Rafael", "Rania", "Sakura", "Samuel", "Sofia", "Tane", "Thabo",
    "Tomas", "Valentina", "Wanjiru", "Yara", "Yuki", "Zainab",
)  # fmt: skip
LAST_NAMES = (
    "Abara", "Adeyemi", "Alves", "Andersen", "Bianchi", "Brennan", "Castro", "Costa", "Dubois", "Eriksen",
    "Fernandes", "Fischer", "Garcia", "Haddad", "Hansen", "Herrera", "Ito", "Johansson", "Kamau", "Kim",
    "Kowalski", "Lange", "Lopez", "Mensah", "Moreau", "Mori", "Morrison", "Mwangi", "Nakamura", "Navarro",
    "Nilsen", "Novak", "Nwosu", "Okonkwo", "Olsen", "Ortiz", "Park", "Pereira", "Quispe", "Ramos",
    "Reyes", "Rossi", "Sato", "Schmidt", "Silva", "Suzuki", "Tanaka", "Torres", "Vargas", "Walker",
    "Weber", "Yamamoto", "Zapata", "Ngata", "Boateng", "Lindqvist",
)  # fmt: skip
ORGANISATIONS = (
    "Northfield Institute of Technology", "Aurora Flight Test Centre", "Meridian University",
    "Cordillera Research Station", "Harbourview Medical School", "Polaris Aerospace",
    "Southern Cross Observatory", "Tidewater Naval Air Station", "Altiplano Geophysics Lab",
    "Lakeshore Polytechnic", "Blue Ridge Biotech", "Kestrel Airlines", "Summit Robotics",
    "Equinox Climate Institute", "Granite Peak Mining Research", "Coral Sea Marine Lab",
    "Riverside General Hospital", "Highland Air Force Academy", "Sunrise Satellite Systems",
    "Obsidian Deep-Sea Institute", "Atlas Engineering Works", "Zenith Space Medicine Centre",
    "Frontier Antarctic Programme", "Maplewood College", "Independent",
)  # fmt: skip
INSTITUTIONS = (
    "Northfield Institute of Technology", "Meridian University", "Lakeshore Polytechnic",
    "Maplewood College", "University of the Andes Coast", "Royal Harbour University",
    "Eastern Plains University", "Kyoto Bay Institute", "Savannah State University",
    "Fjord Technical University",
)  # fmt: skip
EXPERTISE_TAGS = (
    "aviation", "test flight", "physics", "engineering", "computer science", "biology",
    "medicine", "geology", "psychology", "leadership", "operations", "robotics", "mathematics",
    "chemistry",
)  # fmt: skip
RELATIONSHIPS = ("teacher", "supervisor", "mentor", "other")

# What each expertise sounds like in a reviewer's own words (the demo panel's statements).
EXPERTISE_STATEMENTS = {
    "aviation": "I have flown jets for twenty years and teach crew resource management.",
    "test flight": "I fly and plan flight tests of new aircraft, from envelope expansion to handling qualities.",
    "physics": "I run microgravity experiments and build particle detectors for orbit.",
    "engineering": "I design life-support and structural systems for crewed spacecraft.",
    "computer science": "I write and verify flight software and study anomaly detection in telemetry.",
    "biology": "I study how plants and microbes live and adapt in space.",
    "medicine": "I am a physician working on bone, muscle and radiation health of crews.",
    "geology": "I do field geology on volcanic terrains that resemble Mars and the Moon.",
    "psychology": "I study crews in isolation and confinement, and how we select for resilience.",
    "leadership": "I lead expedition teams and research decision making under stress.",
    "operations": "I plan mission operations: timelines, spacewalks and crew schedules.",
    "robotics": "I build robot arms and rovers that work with long communication delays.",
    "mathematics": "I work on orbital mechanics and on statistical models of mission risk.",
    "chemistry": "I work on propellant chemistry and water purification for life support.",
}  # fmt: skip

# The demo panel's own publications, by expertise (title and abstract): what the
# assignment compares with each application when it scores a reviewer's fit.
EXPERTISE_PAPERS = {
    "aviation": (
        "Crew resource management in single-pilot jet operations. Incident reports from 400 flights show how workload, checklists and communication shape safety margins.",
        "Night and instrument flying: a decade of training records. Hours of instrument time predict how pilots handle degraded visual environments.",
    ),
    "test flight": (
        "Envelope expansion of a supersonic trainer. Flight-test techniques for stall, spin and flutter, and the instrumentation that made them safe.",
        "Handling qualities ratings by test pilots: agreement between Cooper-Harper scores across six aircraft types.",
    ),
    "physics": (
        "Microgravity experiments on fluid convection aboard a space station. Measurements of heat transfer without buoyancy.",
        "Cosmic-ray detectors for low Earth orbit: calibration of silicon trackers against radiation damage.",
    ),
    "engineering": (
        "Life-support system design for long-duration missions: oxygen generation, water recovery and failure modes.",
        "Structural fatigue of aerospace composites under thermal cycling, with tests of spacecraft panels.",
    ),
    "computer science": (
        "Fault-tolerant flight software: formal verification of a spacecraft guidance computer.",
        "Machine learning for anomaly detection in satellite telemetry streams.",
    ),
    "biology": (
        "Plant growth in microgravity: root orientation and gene expression of Arabidopsis in orbit.",
        "Microbial communities on board crewed spacecraft and their resistance to cleaning.",
    ),
    "medicine": (
        "Bone loss and muscle atrophy in long-duration spaceflight: countermeasures with resistive exercise.",
        "Emergency medicine in remote settings: a crew medical officer's training and outcomes.",
    ),
    "geology": (
        "Field geology of volcanic terrains as an analogue for Mars: sampling strategies for astronauts.",
        "Impact craters and lunar regolith: what returned samples tell about the early solar system.",
    ),
    "psychology": (
        "Isolation and confinement in Antarctic stations: crew cohesion, mood and conflict over a winter.",
        "Selecting for resilience: personality measures and performance of astronaut candidates.",
    ),
    "leadership": (
        "Team leadership under stress in expedition crews: decision making when communication is delayed.",
        "Command and followership in small crews: lessons from submarine and polar expeditions.",
    ),
    "operations": (
        "Mission control procedures for extravehicular activity: timelines, contingencies and ground support.",
        "Scheduling crew time on orbit: planning science, maintenance and rest.",
    ),
    "robotics": (
        "Teleoperation of robotic arms with time delay: grasping and docking experiments.",
        "Autonomous rovers for planetary exploration: navigation over rough terrain.",
    ),
    "mathematics": (
        "Orbital mechanics of rendezvous: optimal transfer trajectories and their numerical solution.",
        "Statistical models of risk for crewed missions: Bayesian estimates from sparse failure data.",
    ),
    "chemistry": (
        "Propellant chemistry of green monopropellants: combustion stability and toxicity.",
        "Water purification chemistry for closed-loop life support: catalytic oxidation of contaminants.",
    ),
}  # fmt: skip
