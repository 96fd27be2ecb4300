"""Strings of the board's zoom, "bring everyone here", "follow me" and the phone layout.

Merged into catalogs.FR / catalogs.EN (kept apart so that this part of the board has its own file).
French typography: ’ and a non-breaking space (U+00A0) before « : ; ? ! % » and after «.
"""

FR: dict[str, str] = {
    'zoom.label': 'Zoom et vue',
    'zoom.in': 'Zoomer (+)',
    'zoom.out': 'Dézoomer (−)',
    'zoom.reset': 'Taille réelle, 100\u00a0% (Maj+0)',
    'zoom.fit': 'Ajuster la carte à l’écran (Maj+1)',
    'zoom.fit_short': 'Ajuster',
    'zoom.percent': '{n}\u00a0%',
    'view.bring': 'Tous ici',
    'view.bring_hint': 'Amener tout le monde ici : chaque écran prend votre vue (position et zoom)',
    'view.follow': 'Me suivre',
    'view.follow_hint': 'Tout le monde suit votre vue jusqu’à ce que vous arrêtiez',
    'view.follow_on': 'Tout le monde suit maintenant votre vue.',
    'view.follow_off': 'Les participants ne suivent plus votre vue.',
    'view.sent': 'Tout le monde voit maintenant ce que vous voyez.',
    'view.offline': 'Hors ligne : la vue n’a pas pu être partagée.',
    'view.following': 'Vous suivez {name}',
    'view.stop_following': 'Ne plus suivre',
    'view.follow_started': '{name} guide la vue : vous la suivez.',
    'view.brought': '{name} vous a amené à sa vue.',
    'view.released': '{name} ne guide plus la vue.',
}

EN: dict[str, str] = {
    'zoom.label': 'Zoom and view',
    'zoom.in': 'Zoom in (+)',
    'zoom.out': 'Zoom out (−)',
    'zoom.reset': 'Actual size, 100% (Shift+0)',
    'zoom.fit': 'Fit the map to the screen (Shift+1)',
    'zoom.fit_short': 'Fit',
    'zoom.percent': '{n}%',
    'view.bring': 'Everyone here',
    'view.bring_hint': 'Bring everyone here: every screen takes your view (position and zoom)',
    'view.follow': 'Follow me',
    'view.follow_hint': 'Everyone follows your view until you stop',
    'view.follow_on': 'Everyone now follows your view.',
    'view.follow_off': 'Participants no longer follow your view.',
    'view.sent': 'Everyone now sees what you see.',
    'view.offline': 'Offline: the view could not be shared.',
    'view.following': 'You are following {name}',
    'view.stop_following': 'Stop following',
    'view.follow_started': '{name} is leading the view: you follow it.',
    'view.brought': '{name} brought you to their view.',
    'view.released': '{name} no longer leads the view.',
}
