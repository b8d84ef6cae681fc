"""The static files the app serves (CSS, the live view's JavaScript, the screenshot),
as a package so that importlib.resources finds them in a checkout and in an install."""
