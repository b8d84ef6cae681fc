"""The optimizer race (``/optimizers``): the engine's optimizers walking down a loss
surface side by side. ``surfaces.py`` and ``race.py`` are the UI-free model, ``state.py``
the link's settings, ``view.py`` the page's controls and drawing, ``command.py``
``playground optimize``, ``page.py`` the script that builds one tab."""
