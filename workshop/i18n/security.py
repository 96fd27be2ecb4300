"""Strings of the security walls (throttled pages) and of the facilitator's side in the mirror.

Merged into catalogs.FR / catalogs.EN at the end of catalogs.py, like sheets.py.
French typography: ’ and a non-breaking space (U+00A0) before « : ; ? ! » and after «.
"""

FR: dict[str, str] = {
    'security.too_many': 'Trop de tentatives',
    'security.too_many_codes': 'Trop de codes essayés depuis cette adresse. Attendez quelques minutes, puis vérifiez le code affiché par l’animateur.',
    'emo.side_none': 'Votre regard\u00a0: aucun — choisissez un côté. Vos notes restent à vous et ne comptent dans aucune moyenne.',
    'emo.side_facilitator': 'Votre regard\u00a0: {side}. Vos prochaines notes comptent de ce côté.',
    'emo.side_choose': 'Noter comme\u00a0:',
    'emo.side_off': 'aucun côté',
    'emo.side_failed': 'Le côté n’a pas pu être changé.',
}

EN: dict[str, str] = {
    'security.too_many': 'Too many attempts',
    'security.too_many_codes': 'Too many codes tried from this address. Wait a few minutes, then check the code the facilitator shows.',
    'emo.side_none': 'Your side: none — choose a side. Your ratings stay yours and count in no average.',
    'emo.side_facilitator': 'Your side: {side}. Your next ratings count on this side.',
    'emo.side_choose': 'Rate as:',
    'emo.side_off': 'no side',
    'emo.side_failed': 'The side could not be changed.',
}
