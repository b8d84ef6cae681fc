"""A Hopfield memory at temperature T (``/hopfield``): ``model.py`` is the UI-free model,
``state.py`` one tab's network and settings, ``view.py`` the page (with the capacity
experiment, ``capacity.py``), ``command.py`` ``playground hopfield``, ``page.py`` the
script that builds one tab."""
