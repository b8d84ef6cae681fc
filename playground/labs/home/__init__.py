"""The home page (``/``): the lecture scenes as cards. ``scenes.py`` holds the cards as
data, ``pictures.py`` and ``sketches.py`` make their thumbnails, ``view.py`` the page's
HTML, ``page.py`` the script that builds one tab. The page has no state of its own and
no command."""
