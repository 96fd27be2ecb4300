"""The demo workshop: "Glisse", fictional electric scooters in free-floating self-service.

French only, plain data. The map uses the lanes of the journey template (`lane` is a lane kind of
TEMPLATES["journey"]["lanes"]); the stages and steps below replace the template's. References are
by key: a card's `step`, `lane`, `author`, `builds_on` (another idea's `key`); a comment's `card`
and `author`; an emotion's `step` and `author`.

The emotion ratings are chosen so that the customer and employee curves tell a story, with every
resonance category once at least: great moment (découvrir, s’abonner), blindness (s’inscrire:
the deposit hurts customers, employees do not see it), dead end (déverrouiller, demander de l’aide),
pain (rouler: customers love it, the night crews pay for it), wrong fight (se garer: the parking
zones please the city and the staff, not the customer), lucky break (payer).

Typography: ’ for apostrophes, a non-breaking space (U+00A0) before « : ; ? ! » and inside « ».
"""
from __future__ import annotations

from typing import Any

DEMO: dict[str, Any] = {
    "title": "Glisse — parcours de l’usager occasionnel",
    "objective": "Comprendre pourquoi six nouveaux inscrits sur dix ne font jamais de deuxième "
                 "course, repérer les moments clés et repartir avec trois fiches chantier pour "
                 "le premier semestre.",
    "map_type": "journey",
    "locale": "fr",
    "participants": [
        {"key": "camille", "name": "Camille Martin", "department": "Service client",
         "perspective": "employee"},
        {"key": "julien", "name": "Julien Roche", "department": "Opérations terrain",
         "perspective": "employee"},
        {"key": "ines", "name": "Inès Lefèvre", "department": "Back office facturation",
         "perspective": "employee"},
        {"key": "marc", "name": "Marc Dupont", "department": "Ambassadeurs en station",
         "perspective": "employee"},
        {"key": "sarah", "name": "Sarah Benali", "department": "Marketing",
         "perspective": "customer"},
        {"key": "thomas", "name": "Thomas Nguyen", "department": "Produit digital",
         "perspective": "customer"},
        {"key": "lea", "name": "Léa Girard", "department": "Panel d’usagers",
         "perspective": "customer"},
        {"key": "karim", "name": "Karim Haddad", "department": "Panel d’usagers",
         "perspective": "customer"},
    ],
    "stages": [
        {"key": "avant", "title": "Avant-vente"},
        {"key": "vente", "title": "Vente"},
        {"key": "apres", "title": "Après-vente"},
    ],
    "steps": [
        {"key": "decouvrir", "stage": "avant", "title": "Découvrir Glisse",
         "description": "Le futur usager croise des trottinettes en ville, voit une publicité ou "
                        "reçoit un code de parrainage.",
         "key_moment": False},
        {"key": "inscrire", "stage": "avant", "title": "Installer l’appli et s’inscrire",
         "description": "Téléchargement, création du compte, vérification d’identité, carte "
                        "bancaire et caution.",
         "key_moment": False},
        {"key": "trouver", "stage": "vente", "title": "Trouver une trottinette",
         "description": "Repérer sur la carte une trottinette disponible et chargée, puis la "
                        "rejoindre à pied.",
         "key_moment": False},
        {"key": "deverrouiller", "stage": "vente", "title": "Déverrouiller",
         "description": "Scanner le QR code du guidon, accepter le tarif et démarrer la course.",
         "key_moment": True},
        {"key": "rouler", "stage": "vente", "title": "Rouler",
         "description": "Le trajet lui-même\u00a0: vitesse, confort, autonomie de la batterie, "
                        "sécurité.",
         "key_moment": False},
        {"key": "garer", "stage": "vente", "title": "Se garer et terminer la course",
         "description": "Trouver une zone de stationnement autorisée, prendre la photo de fin de "
                        "course et verrouiller.",
         "key_moment": True},
        {"key": "payer", "stage": "apres", "title": "Payer et recevoir le reçu",
         "description": "Débit de la course, reçu, libération de la caution.",
         "key_moment": False},
        {"key": "aide", "stage": "apres", "title": "Demander de l’aide",
         "description": "Signaler une panne, contester un débit ou une amende, joindre le support.",
         "key_moment": False},
        {"key": "abonner", "stage": "apres", "title": "S’abonner au pass mensuel",
         "description": "Passer de l’usage occasionnel au pass mensuel, ou ne jamais revenir.",
         "key_moment": False},
    ],
    "cards": [
        # -- Découvrir Glisse ---------------------------------------------------------------
        {"key": "c1", "step": "decouvrir", "lane": "customer_actions", "kind": "note",
         "text": "Repère des trottinettes vertes garées devant la gare et se demande comment elles "
                 "fonctionnent.",
         "author": "sarah", "perspective": "customer", "channel": None, "builds_on": None},
        {"key": "c2", "step": "decouvrir", "lane": "touchpoints", "kind": "touchpoint",
         "text": "Publicité Instagram «\u00a0Ta première course est offerte\u00a0», ciblée sur "
                 "les 18–35 ans du centre-ville.",
         "author": "sarah", "perspective": "employee", "channel": "social", "builds_on": None},
        {"key": "c3", "step": "decouvrir", "lane": "touchpoints", "kind": "touchpoint",
         "text": "Stand Glisse au parvis de la gare le samedi\u00a0: essai accompagné et "
                 "inscription sur place avec un ambassadeur.",
         "author": "marc", "perspective": "employee", "channel": "agency", "builds_on": None},
        {"key": "c4", "step": "decouvrir", "lane": "enchantments", "kind": "enchantment",
         "text": "Le code de parrainage offre 15 minutes à moi et à l’ami qui m’a invitée.",
         "author": "lea", "perspective": "customer", "channel": None, "builds_on": None},
        {"key": "c5", "step": "decouvrir", "lane": "promise", "kind": "note",
         "text": "Traverser la ville sans voiture et sans effort, en deux minutes chrono.",
         "author": "sarah", "perspective": "employee", "channel": None, "builds_on": None},

        # -- Installer l’appli et s’inscrire ------------------------------------------------
        {"key": "c6", "step": "inscrire", "lane": "touchpoints", "kind": "touchpoint",
         "text": "Inscription dans l’appli\u00a0: six écrans, photo du permis ou de la pièce "
                 "d’identité, selfie de vérification.",
         "author": "thomas", "perspective": "employee", "channel": "app", "builds_on": None},
        {"key": "c7", "step": "inscrire", "lane": "irritants", "kind": "irritant",
         "text": "Une caution de 50\u00a0€ reste bloquée sur la carte pendant sept jours, sans "
                 "explication au moment de l’inscription.",
         "author": "karim", "perspective": "customer", "channel": None, "builds_on": None},
        {"key": "c8", "step": "inscrire", "lane": "irritants", "kind": "verbatim",
         "text": "«\u00a0J’ai vu 50\u00a0€ bloqués sur mon compte, j’ai cru à une arnaque et "
                 "j’ai failli désinstaller l’appli.\u00a0»",
         "author": "lea", "perspective": "customer", "channel": None, "builds_on": None},
        {"key": "c9", "step": "inscrire", "lane": "expectations", "kind": "expectation",
         "text": "Savoir avant de commencer ce que ça coûte vraiment\u00a0: déverrouillage, prix "
                 "à la minute, caution.",
         "author": "sarah", "perspective": "customer", "channel": None, "builds_on": None},
        {"key": "c10", "step": "inscrire", "lane": "employee", "kind": "note",
         "text": "La caution est gérée par le prestataire de paiement\u00a0: au back office, "
                 "personne ne voit le montant bloqué côté client.",
         "author": "ines", "perspective": "employee", "channel": None, "builds_on": None},
        {"key": "c11", "step": "inscrire", "lane": "opportunities", "kind": "idea",
         "text": "Remplacer la caution de 50\u00a0€ par une pré-autorisation de 1\u00a0€.",
         "author": "ines", "perspective": "employee", "channel": None, "builds_on": None},
        {"key": "c12", "step": "inscrire", "lane": "opportunities", "kind": "idea",
         "text": "Et l’annoncer dès l’écran d’accueil\u00a0: «\u00a0Aucune caution, 1\u00a0€ "
                 "vérifié puis rendu\u00a0».",
         "author": "sarah", "perspective": "customer", "channel": None, "builds_on": "c11"},

        # -- Trouver une trottinette --------------------------------------------------------
        {"key": "c13", "step": "trouver", "lane": "customer_actions", "kind": "note",
         "text": "Ouvre la carte dans l’appli et marche jusqu’à la trottinette la plus proche.",
         "author": "thomas", "perspective": "customer", "channel": None, "builds_on": None},
        {"key": "c14", "step": "trouver", "lane": "expectations", "kind": "question",
         "text": "Peut-on réserver une trottinette quelques minutes, le temps de descendre de "
                 "chez soi\u00a0?",
         "author": "lea", "perspective": "customer", "channel": None, "builds_on": None},
        {"key": "c15", "step": "trouver", "lane": "employee", "kind": "process",
         "text": "Chaque nuit, l’équipe terrain redéploie les trottinettes vers les zones les plus "
                 "demandées la veille.",
         "author": "julien", "perspective": "employee", "channel": None, "builds_on": None},

        # -- Déverrouiller (moment clé) -----------------------------------------------------
        {"key": "c16", "step": "deverrouiller", "lane": "customer_actions", "kind": "note",
         "text": "Scanne le QR code du guidon, accepte le tarif et attend le bip de démarrage.",
         "author": "thomas", "perspective": "customer", "channel": None, "builds_on": None},
        {"key": "c17", "step": "deverrouiller", "lane": "touchpoints", "kind": "touchpoint",
         "text": "Écran de déverrouillage par QR code, avec saisie du numéro de la trottinette "
                 "en secours.",
         "author": "thomas", "perspective": "employee", "channel": "app", "builds_on": None},
        {"key": "c18", "step": "deverrouiller", "lane": "irritants", "kind": "irritant",
         "text": "Bug au déverrouillage quand le réseau est faible\u00a0: l’appli tourne dans le "
                 "vide, trois essais, et parfois une course débitée sans démarrage.",
         "author": "camille", "perspective": "customer", "channel": None, "builds_on": None},
        {"key": "c19", "step": "deverrouiller", "lane": "irritants", "kind": "verbatim",
         "text": "«\u00a0Je suis resté cinq minutes à scanner sous la pluie, et j’ai raté mon "
                 "train.\u00a0»",
         "author": "karim", "perspective": "customer", "channel": None, "builds_on": None},
        {"key": "c20", "step": "deverrouiller", "lane": "expectations", "kind": "expectation",
         "text": "Que ça marche du premier coup, en moins de dix secondes.",
         "author": "lea", "perspective": "customer", "channel": None, "builds_on": None},
        {"key": "c21", "step": "deverrouiller", "lane": "employee", "kind": "note",
         "text": "Un tiers des appels du lundi matin concernent des déverrouillages ratés\u00a0; "
                 "on rembourse à la main, course par course.",
         "author": "camille", "perspective": "employee", "channel": None, "builds_on": None},
        {"key": "c22", "step": "deverrouiller", "lane": "opportunities", "kind": "idea",
         "text": "Déverrouiller en Bluetooth quand le réseau mobile est trop faible.",
         "author": "thomas", "perspective": "customer", "channel": None, "builds_on": None},
        {"key": "c23", "step": "deverrouiller", "lane": "opportunities", "kind": "idea",
         "text": "Et ne rien débiter tant que la trottinette n’a pas roulé\u00a0: remboursement "
                 "automatique, plus aucun appel pour ça.",
         "author": "camille", "perspective": "employee", "channel": None, "builds_on": "c22"},

        # -- Rouler -------------------------------------------------------------------------
        {"key": "c24", "step": "rouler", "lane": "enchantments", "kind": "enchantment",
         "text": "Traverser le centre en huit minutes au lieu de vingt-cinq à pied, cheveux au "
                 "vent.",
         "author": "sarah", "perspective": "customer", "channel": None, "builds_on": None},
        {"key": "c25", "step": "rouler", "lane": "irritants", "kind": "irritant",
         "text": "Batterie vide en pleine course\u00a0: la trottinette bride sa vitesse sans "
                 "prévenir, loin de toute station.",
         "author": "karim", "perspective": "customer", "channel": None, "builds_on": None},
        {"key": "c26", "step": "rouler", "lane": "emotions", "kind": "note",
         "text": "Pic de la courbe\u00a0: liberté et fierté. L’inquiétude revient dès que la "
                 "batterie passe sous 20\u00a0%.",
         "author": "thomas", "perspective": "customer", "channel": None, "builds_on": None},
        {"key": "c27", "step": "rouler", "lane": "employee", "kind": "process",
         "text": "Pour des batteries pleines le matin, l’équipe de nuit change 400 batteries, "
                 "souvent sous la pluie et sur des trottinettes vandalisées.",
         "author": "julien", "perspective": "employee", "channel": None, "builds_on": None},

        # -- Se garer et terminer la course (moment clé) ------------------------------------
        {"key": "c28", "step": "garer", "lane": "customer_actions", "kind": "note",
         "text": "Cherche une zone autorisée, photographie la trottinette garée, verrouille dans "
                 "l’appli.",
         "author": "lea", "perspective": "customer", "channel": None, "builds_on": None},
        {"key": "c29", "step": "garer", "lane": "irritants", "kind": "irritant",
         "text": "Zones de stationnement floues sur la carte\u00a0: la course refuse de se "
                 "terminer et le compteur continue de tourner.",
         "author": "sarah", "perspective": "customer", "channel": None, "builds_on": None},
        {"key": "c30", "step": "garer", "lane": "irritants", "kind": "irritant",
         "text": "Amende de 35\u00a0€ pour stationnement hors zone, reçue trois semaines plus "
                 "tard, sans photo ni explication.",
         "author": "karim", "perspective": "customer", "channel": None, "builds_on": None},
        {"key": "c31", "step": "garer", "lane": "expectations", "kind": "question",
         "text": "Comment savoir, avant d’arriver, s’il reste de la place dans la zone\u00a0?",
         "author": "thomas", "perspective": "customer", "channel": None, "builds_on": None},
        {"key": "c32", "step": "garer", "lane": "employee", "kind": "note",
         "text": "Pour nous, les zones sont une réussite\u00a0: elles ont apaisé la mairie et "
                 "divisé par deux les plaintes des riverains.",
         "author": "marc", "perspective": "employee", "channel": None, "builds_on": None},
        {"key": "c33", "step": "garer", "lane": "opportunities", "kind": "idea",
         "text": "Guider vers la place autorisée la plus proche, à 20 mètres près, dès que la "
                 "destination approche.",
         "author": "thomas", "perspective": "customer", "channel": None, "builds_on": None},
        {"key": "c34", "step": "garer", "lane": "opportunities", "kind": "idea",
         "text": "Et offrir deux minutes de course à qui se gare sur une place recommandée.",
         "author": "julien", "perspective": "employee", "channel": None, "builds_on": "c33"},

        # -- Payer et recevoir le reçu ------------------------------------------------------
        {"key": "c35", "step": "payer", "lane": "touchpoints", "kind": "touchpoint",
         "text": "Reçu envoyé par e-mail dès la fin de la course, avec le trajet sur une carte.",
         "author": "ines", "perspective": "employee", "channel": "email", "builds_on": None},
        {"key": "c36", "step": "payer", "lane": "enchantments", "kind": "enchantment",
         "text": "Le reçu arrive tout de suite, avec le trajet et les kilomètres\u00a0: parfait "
                 "pour les notes de frais.",
         "author": "lea", "perspective": "customer", "channel": None, "builds_on": None},

        # -- Demander de l’aide -------------------------------------------------------------
        {"key": "c37", "step": "aide", "lane": "touchpoints", "kind": "touchpoint",
         "text": "Chat dans l’appli\u00a0: un robot d’abord, un conseiller seulement de 9\u00a0h "
                 "à 18\u00a0h en semaine.",
         "author": "camille", "perspective": "employee", "channel": "chat", "builds_on": None},
        {"key": "c38", "step": "aide", "lane": "touchpoints", "kind": "touchpoint",
         "text": "Ligne téléphonique d’urgence (chute, trottinette endommagée), ouverte 24\u00a0h "
                 "sur 24 mais introuvable dans l’appli.",
         "author": "camille", "perspective": "employee", "channel": "phone", "builds_on": None},
        {"key": "c39", "step": "aide", "lane": "irritants", "kind": "irritant",
         "text": "Support injoignable le soir et le week-end, justement quand on roule le plus.",
         "author": "sarah", "perspective": "customer", "channel": None, "builds_on": None},
        {"key": "c40", "step": "aide", "lane": "irritants", "kind": "verbatim",
         "text": "«\u00a0Trois messages au chat pour contester une amende, et toujours la même "
                 "réponse automatique.\u00a0»",
         "author": "karim", "perspective": "customer", "channel": None, "builds_on": None},
        {"key": "c41", "step": "aide", "lane": "employee", "kind": "process",
         "text": "Une contestation d’amende passe par le support, la facturation puis le "
                 "juridique\u00a0: douze jours en moyenne.",
         "author": "ines", "perspective": "employee", "channel": None, "builds_on": None},

        # -- S’abonner au pass mensuel ------------------------------------------------------
        {"key": "c42", "step": "abonner", "lane": "touchpoints", "kind": "touchpoint",
         "text": "Page tarifs du site glisse.fr, avec le comparatif course à la minute / pass "
                 "mensuel.",
         "author": "sarah", "perspective": "employee", "channel": "web", "builds_on": None},
        {"key": "c43", "step": "abonner", "lane": "enchantments", "kind": "enchantment",
         "text": "Pass mensuel à 24,90\u00a0€\u00a0: courses illimitées de moins de 30 minutes, "
                 "fini le compteur qui angoisse.",
         "author": "thomas", "perspective": "customer", "channel": None, "builds_on": None},
        {"key": "c44", "step": "abonner", "lane": "opportunities", "kind": "idea",
         "text": "Proposer le pass après la cinquième course du mois, avec l’économie déjà "
                 "réalisée.",
         "author": "marc", "perspective": "employee", "channel": None, "builds_on": None},
        {"key": "c45", "step": "abonner", "lane": "promise", "kind": "note",
         "text": "Glisse vous fait gagner du temps chaque jour, au juste prix.",
         "author": "marc", "perspective": "employee", "channel": None, "builds_on": None},
    ],
    "comments": [
        {"card": "c7", "author": "ines",
         "text": "Le montant vient du contrat avec le prestataire de paiement\u00a0; on peut le "
                 "renégocier à la prochaine échéance."},
        {"card": "c18", "author": "thomas",
         "text": "Confirmé par les journaux de l’appli\u00a0: 12\u00a0% d’échecs au premier scan "
                 "quand le signal est faible."},
        {"card": "c30", "author": "camille",
         "text": "C’est le premier motif de réclamation au support depuis mars."},
        {"card": "c32", "author": "lea",
         "text": "Côté client, on ne voit que la contrainte\u00a0: personne ne nous a expliqué "
                 "pourquoi ces zones existent."},
        {"card": "c34", "author": "julien",
         "text": "Faisable vite\u00a0: les places recommandées existent déjà dans notre outil "
                 "de redéploiement."},
    ],
    "emotions": [
        # Découvrir: great moment (customers 1.5, employees 1.0)
        {"step": "decouvrir", "author": "sarah", "score": 2},
        {"step": "decouvrir", "author": "thomas", "score": 1},
        {"step": "decouvrir", "author": "lea", "score": 1},
        {"step": "decouvrir", "author": "karim", "score": 2},
        {"step": "decouvrir", "author": "camille", "score": 1},
        {"step": "decouvrir", "author": "julien", "score": 0},
        {"step": "decouvrir", "author": "ines", "score": 1},
        {"step": "decouvrir", "author": "marc", "score": 2},
        # S’inscrire: blindness (customers -1.25, employees 0)
        {"step": "inscrire", "author": "sarah", "score": -1},
        {"step": "inscrire", "author": "thomas", "score": -1},
        {"step": "inscrire", "author": "lea", "score": -2},
        {"step": "inscrire", "author": "karim", "score": -1},
        {"step": "inscrire", "author": "camille", "score": 0},
        {"step": "inscrire", "author": "julien", "score": 0},
        {"step": "inscrire", "author": "ines", "score": 1},
        {"step": "inscrire", "author": "marc", "score": -1},
        # Trouver: lukewarm on both sides (customers 0, employees 0.33)
        {"step": "trouver", "author": "sarah", "score": 0},
        {"step": "trouver", "author": "thomas", "score": 1},
        {"step": "trouver", "author": "lea", "score": 0},
        {"step": "trouver", "author": "karim", "score": -1},
        {"step": "trouver", "author": "camille", "score": 0},
        {"step": "trouver", "author": "julien", "score": 1},
        {"step": "trouver", "author": "marc", "score": 0},
        # Déverrouiller: dead end (customers -1.75, employees -1.25)
        {"step": "deverrouiller", "author": "sarah", "score": -2},
        {"step": "deverrouiller", "author": "thomas", "score": -1},
        {"step": "deverrouiller", "author": "lea", "score": -2},
        {"step": "deverrouiller", "author": "karim", "score": -2},
        {"step": "deverrouiller", "author": "camille", "score": -2},
        {"step": "deverrouiller", "author": "julien", "score": -1},
        {"step": "deverrouiller", "author": "ines", "score": -1},
        {"step": "deverrouiller", "author": "marc", "score": -1},
        # Rouler: pain (customers 1.75, employees -1.0)
        {"step": "rouler", "author": "sarah", "score": 2},
        {"step": "rouler", "author": "thomas", "score": 2},
        {"step": "rouler", "author": "lea", "score": 1},
        {"step": "rouler", "author": "karim", "score": 2},
        {"step": "rouler", "author": "camille", "score": 0},
        {"step": "rouler", "author": "julien", "score": -2},
        {"step": "rouler", "author": "ines", "score": -1},
        {"step": "rouler", "author": "marc", "score": -1},
        # Se garer: wrong fight (customers -1.5, employees 0.75)
        {"step": "garer", "author": "sarah", "score": -1},
        {"step": "garer", "author": "thomas", "score": -2},
        {"step": "garer", "author": "lea", "score": -1},
        {"step": "garer", "author": "karim", "score": -2},
        {"step": "garer", "author": "camille", "score": 1},
        {"step": "garer", "author": "julien", "score": 0},
        {"step": "garer", "author": "ines", "score": 1},
        {"step": "garer", "author": "marc", "score": 1},
        # Payer: lucky break (customers 0.75, employees 0)
        {"step": "payer", "author": "sarah", "score": 1},
        {"step": "payer", "author": "thomas", "score": 1},
        {"step": "payer", "author": "lea", "score": 1},
        {"step": "payer", "author": "karim", "score": 0},
        {"step": "payer", "author": "camille", "score": 0},
        {"step": "payer", "author": "julien", "score": 0},
        {"step": "payer", "author": "ines", "score": 0},
        # Demander de l’aide: dead end (customers -1.75, employees -1.33)
        {"step": "aide", "author": "sarah", "score": -2},
        {"step": "aide", "author": "thomas", "score": -2},
        {"step": "aide", "author": "lea", "score": -1},
        {"step": "aide", "author": "karim", "score": -2},
        {"step": "aide", "author": "camille", "score": -2},
        {"step": "aide", "author": "ines", "score": -1},
        {"step": "aide", "author": "marc", "score": -1},
        # S’abonner: great moment (customers 0.75, employees 0.75)
        {"step": "abonner", "author": "sarah", "score": 1},
        {"step": "abonner", "author": "thomas", "score": 1},
        {"step": "abonner", "author": "lea", "score": 0},
        {"step": "abonner", "author": "karim", "score": 1},
        {"step": "abonner", "author": "camille", "score": 1},
        {"step": "abonner", "author": "julien", "score": 0},
        {"step": "abonner", "author": "ines", "score": 1},
        {"step": "abonner", "author": "marc", "score": 1},
    ],
}


# The end of the day: chantier sheets (steps and cards referred to by the start of their title/text).
NB = "\u00a0"

# card and step references: (step title prefix, card text prefix)
DEMO_SHEETS: list[dict[str, Any]] = [
    {
        "title": "Remplacer la caution de 50" + NB + "€ par une pré-autorisation de 1" + NB + "€",
        "problem": "À l’inscription, 50" + NB + "€ restent bloqués sept jours sur la carte de l’usager, sans "
                   "explication. Une part des nouveaux inscrits croit à une arnaque et désinstalle l’appli "
                   "avant la première course ; au back office, personne ne voit le montant bloqué.",
        "objective": "Qu’aucun nouvel inscrit ne renonce à cause de la caution : diviser par deux les "
                     "abandons entre l’inscription et la première course.",
        "solution": "Remplacer la caution par une pré-autorisation de 1" + NB + "€, vérifiée puis rendue "
                    "aussitôt, et l’annoncer dès l’écran d’accueil (« Aucune caution, 1" + NB + "€ vérifié "
                    "puis rendu »). Le back office voit enfin, pour chaque client, ce qui est bloqué et "
                    "pourquoi.",
        "owner": "Inès Lefèvre", "sponsor": "Directrice administrative et financière",
        "departments": ["Back office facturation", "Produit digital", "Marketing"],
        "start": "2027-01-11", "end": "2027-04-30",
        "milestones": [{"date": "2027-01-29", "label": "Accord du prestataire de paiement"},
                       {"date": "2027-03-05", "label": "Nouveaux écrans d’inscription testés avec le panel"},
                       {"date": "2027-04-30", "label": "Mise en production pour tous les nouveaux inscrits"}],
        "effort": 2, "impact": 5,
        "prerequisites": "Avenant au contrat du prestataire de paiement ; règles de recouvrement en cas "
                         "d’impayé validées par la direction financière.",
        "risks": "Plus d’impayés sans caution : suivre le taux mensuel et garder la caution pour les "
                 "comptes à risque.",
        "kpis": [{"name": "Inscrits qui font une première course", "target": "80" + NB + "%"},
                 {"name": "Appels au support sur la caution", "target": "−70" + NB + "%"},
                 {"name": "Taux d’impayés", "target": "< 1,5" + NB + "%"}],
        "budget": "18" + NB + "000" + NB + "€", "status": "validated",
        "steps": ["Installer"], "cards": ["Une caution de 50", "«" + NB + "J’ai vu 50", "Remplacer la caution",
                                          "Et l’annoncer"],
    },
    {
        "title": "Déverrouiller du premier coup, même sans réseau",
        "problem": "Quand le réseau mobile est faible, l’appli tourne dans le vide au déverrouillage ; "
                   "l’usager paie parfois une course qu’il n’a pas faite. Un tiers des appels du lundi "
                   "matin concernent des déverrouillages ratés.",
        "objective": "Déverrouiller en moins de dix secondes dans 98" + NB + "% des cas, et ne jamais "
                     "faire payer une course qui n’a pas roulé.",
        "solution": "Déverrouillage en Bluetooth quand le réseau est trop faible ; aucun débit tant que la "
                    "trottinette n’a pas roulé cinquante mètres, avec remboursement automatique sinon.",
        "owner": "Thomas Nguyen", "sponsor": "Directeur produit",
        "departments": ["Produit digital", "Opérations terrain", "Service client"],
        "start": "2027-02-01", "end": "2027-06-30",
        "milestones": [{"date": "2027-03-15", "label": "Module Bluetooth validé sur 200 trottinettes"},
                       {"date": "2027-05-15", "label": "Débit après 50 mètres roulés"},
                       {"date": "2027-06-30", "label": "Toute la flotte équipée"}],
        "effort": 4, "impact": 4,
        "prerequisites": "Mise à jour du firmware des trottinettes ; accord du constructeur.",
        "risks": "Autonomie des batteries réduite par le Bluetooth ; fraude au déverrouillage.",
        "kpis": [{"name": "Déverrouillages réussis au premier essai", "target": "98" + NB + "%"},
                 {"name": "Appels « déverrouillage » au support", "target": "÷" + NB + "3"}],
        "budget": "120" + NB + "000" + NB + "€", "status": "in_progress",
        "steps": ["Déverrouiller"], "cards": ["Bug au déverrouillage", "Déverrouiller en Bluetooth",
                                               "Et ne rien débiter"],
    },
    {
        "title": "Se garer sans risquer d’amende",
        "problem": "Les zones de stationnement sont floues sur la carte : la course refuse de se terminer, "
                   "et l’amende de 35" + NB + "€ pour stationnement hors zone arrive trois semaines plus tard.",
        "objective": "Que chaque usager sache où se garer avant d’arriver, et réduire de moitié les "
                     "amendes refacturées.",
        "solution": "Guider vers la place autorisée la plus proche, à vingt mètres près, dès que la "
                    "destination approche ; offrir deux minutes de course à qui se gare sur une place "
                    "recommandée.",
        "owner": "Julien Roche", "sponsor": "Directrice des opérations",
        "departments": ["Opérations terrain", "Produit digital"],
        "start": "2027-04-01", "end": "2027-09-30",
        "milestones": [{"date": "2027-05-31", "label": "Cartographie des places avec la ville"},
                       {"date": "2027-09-30", "label": "Guidage en service"}],
        "effort": 3, "impact": 3,
        "prerequisites": "Données ouvertes de la ville sur les places autorisées.",
        "risks": "Places saturées aux heures de pointe.",
        "kpis": [{"name": "Amendes refacturées par mois", "target": "−50" + NB + "%"}],
        "budget": "45" + NB + "000" + NB + "€", "status": "draft",
        "steps": ["Se garer"], "cards": ["Zones de stationnement floues", "Amende de 35", "Guider vers la place",
                                          "Et offrir deux minutes"],
    },
]

# Dot votes of the key-moment round (step title prefixes) and the idea round (card text prefixes),
# cast in turn by the participants.
DEMO_VOTES = {
    "key_moments": ["Installer", "Déverrouiller", "Se garer", "Déverrouiller", "Installer", "Se garer",
                  "Déverrouiller", "Demander", "Installer", "Se garer", "Déverrouiller", "Installer",
                  "Payer", "Installer", "Se garer", "Déverrouiller", "Installer", "Rouler", "Se garer",
                  "Déverrouiller", "Installer", "Demander", "Trouver", "Déverrouiller"],
    "ideas": ["Remplacer la caution", "Déverrouiller en Bluetooth", "Guider vers la place", "Remplacer la caution",
                 "Et ne rien débiter", "Guider vers la place", "Remplacer la caution", "Déverrouiller en Bluetooth",
                 "Proposer le pass", "Remplacer la caution", "Déverrouiller en Bluetooth", "Et offrir deux minutes",
                 "Remplacer la caution", "Et l’annoncer", "Guider vers la place", "Déverrouiller en Bluetooth",
                 "Et ne rien débiter", "Remplacer la caution", "Guider vers la place", "Et l’annoncer"],
}
