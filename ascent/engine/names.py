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
