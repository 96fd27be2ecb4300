"""The demo workshop's listening: a closed wave with ~40 customer and ~12 employee responses, so the
demo's mirror shows survey data with participation. Answers go through `service.put_response`, like
a respondent's; the scores are drawn from a fixed seed so every demo is the same."""

from __future__ import annotations

import random
import uuid
from typing import Any

from ..db import Database
from ..ops.base import Actor
from . import service

# Per step title prefix: (customer mean, employee mean) of the scores the demo respondents give.
PROFILE = {
    "Découvrir": (1.2, 1.0),
    "Installer": (-1.4, 0.9),
    "Trouver": (-0.2, 0.0),
    "Déverrouiller": (-1.3, -1.2),
    "Rouler": (1.6, 1.1),
    "Se garer": (-0.9, 0.1),
    "Payer": (0.8, -1.0),
    "Demander": (-1.1, -0.2),
    "S’abonner": (0.6, 0.6),
}
VERBATIMS = {
    "customer": [
        ("Installer", "La caution de 50 € m’a presque fait renoncer."),
        ("Déverrouiller", "Trois essais avant que le QR code passe, dans un parking sans réseau."),
        ("Rouler", "Un vrai plaisir le long des quais."),
        ("Se garer", "Je ne savais pas si j’avais le droit de la laisser là."),
        ("Demander", "Le chat m’a répondu le lendemain."),
        ("Payer", "Le reçu arrive tout de suite, c’est clair."),
    ],
    "employee": [
        ("Payer", "Chaque litige de facture, c’est vingt minutes de recherche à la main."),
        ("Déverrouiller", "On reçoit les plaintes sans voir l’état du réseau au moment du scan."),
        ("Installer", "La vérification d’identité, on la refait souvent au téléphone."),
    ],
}
RESPONSES = {"customer": 40, "employee": 12}
INVITED = {"customer": 120, "employee": 18}


def _score(rng: random.Random, mean: float) -> int:
    return max(-2, min(2, round(rng.gauss(mean, 0.8))))


def seed_demo_listening(db: Database, facilitator: Actor, map_id: str) -> str:
    """Create, fill and close the demo's listening; answers its id."""
    listening = service.create(
        db, facilitator, map_id, {"title": "Écoute de mars : clients et équipes", "invited": INVITED}, ""
    )
    with db.read() as s:
        steps = service.ordered_steps(s, map_id)
    rng = random.Random(20260302)
    for silo, count in RESPONSES.items():
        remarks = list(VERBATIMS[silo])
        for i in range(count):
            answers: list[dict[str, Any]] = []
            for step in steps:
                means = next((v for k, v in PROFILE.items() if step["title"].startswith(k)), (0.0, 0.0))
                if rng.random() < 0.1:  # not everyone rates every step
                    continue
                answer: dict[str, Any] = {
                    "step_id": step["id"],
                    "score": _score(rng, means[silo == "employee"]),
                    "important": rng.random() < 0.25,
                }
                if remarks and step["title"].startswith(remarks[0][0]) and i % 3 == 0:
                    answer["verbatim"] = remarks.pop(0)[1]
                answers.append(answer)
            service.put_response(
                db, listening["codes"][silo], str(uuid.UUID(int=rng.getrandbits(128), version=4)), {"answers": answers}
            )
    service.update(db, facilitator, listening["id"], {"status": "closed"}, "")
    return listening["id"]
