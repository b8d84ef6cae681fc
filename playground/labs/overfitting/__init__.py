"""Overfitting with polynomials (``/overfitting``): ``polyfit.py`` is the UI-free model,
``state.py`` the link's settings, ``view.py`` the page's controls and pictures,
``command.py`` ``playground overfit``, ``page.py`` the script that builds one tab."""
