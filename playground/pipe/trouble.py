"""What a browser's bad messages make Bokeh and Panel log, cut to one line per kind per
minute (``playground.log_limit``), without tracebacks.

Bokeh logs each message it cannot apply (an unknown model id, a value of the wrong type,
deep nesting) with the whole message and a traceback, each websocket it refuses for its
origin as an error, and Panel each control change that fails (a value out of a
parameter's range) with the value and a traceback: a thousand messages from one tab
wrote megabytes and cost seconds of the server's time. Here each such record becomes one
short line: its kind, the exception and where in our code it was raised, if anywhere,
values quoted to 100 characters. Everything else passes unchanged.
"""

import logging
import traceback
import warnings
from pathlib import Path

import panel as pn
from bokeh.util.warnings import BokehUserWarning

from playground.log_limit import LogLimit, quoted

log = logging.getLogger("playground")

BAD_MESSAGE = "bad message from a browser (dropped)"
REFUSED_ORIGIN = "websocket refused: its page came from an origin not allowed"
BAD_TOKEN = "websocket refused: bad session id or token"
BAD_VALUE = "control value refused"
FAILED_CHANGE = "a control's action failed"

# (logger, start of its message) -> kind. Bokeh's and Panel's own words, as logged by
# Bokeh 3.9 and Panel 1.9 (tests/test_trouble.py provokes each with the real libraries).
TROUBLE: dict[tuple[str, str], str] = {
    ("bokeh.server.protocol_handler", "error handling message"): BAD_MESSAGE,
    ("bokeh.server.views.ws", "Unhandled exception receiving a message"): BAD_MESSAGE,
    ("bokeh.server.views.ws", "Handler or its work threw an exception"): BAD_MESSAGE,
    ("bokeh.server.views.ws", "Bokeh Server protocol error"): BAD_MESSAGE,
    ("bokeh.server.views.ws", "Bokeh Server internal error"): BAD_MESSAGE,
    ("bokeh.protocol", "Bad header"): BAD_MESSAGE,
    ("bokeh.server.views.ws", "Refusing websocket connection from Origin"): REFUSED_ORIGIN,
    ("bokeh.server.views.ws", "Token for session"): BAD_TOKEN,
    ("bokeh.server.views.ws", "Could not create new server session"): BAD_TOKEN,
    ("bokeh.server.views.session_handler", "Session id had invalid signature"): BAD_TOKEN,
    ("panel.reactive", "Callback failed for object named"): FAILED_CHANGE,
}
LOGGERS = sorted({name for name, _start in TROUBLE})
PACKAGE = Path(__file__).resolve().parents[1]  # playground/


def from_a_closed_tab(exc_info) -> bool:
    """Whether an exception is Bokeh's ``assert self._session is not None`` in the
    ``session`` property of ``bokeh/server/connection.py``: a message arrived from a tab
    whose connection had already been let go (a race with its closing)."""
    if not (exc_info and isinstance(exc_info[1], AssertionError)):
        return False
    frames = traceback.extract_tb(exc_info[2])
    last = frames[-1] if frames else None
    return bool(last and last.name == "session" and last.filename.endswith("connection.py"))


def kind_of(record: logging.LogRecord) -> str | None:
    """The kind of trouble ``record`` reports, or None for any other record."""
    if not isinstance(record.msg, str):
        return None
    for (name, start), kind in TROUBLE.items():
        if record.name == name and record.msg.startswith(start):
            error = record.exc_info[1] if record.exc_info else None
            # A value out of a parameter's range (or not among its choices) is param's
            # ValueError; anything else failing in a change is worth telling apart.
            return exception_kind(error) if kind == FAILED_CHANGE and error else kind
    return None


def summary(record: logging.LogRecord) -> str:
    """One short line for ``record``: its exception, or its first argument, quoted; and
    where in the playground's own code the exception came from, if it did."""
    if record.exc_info and record.exc_info[1] is not None:
        return describe(record.exc_info[1])
    args = record.args if isinstance(record.args, tuple) else ()
    return quoted(args[0]) if args else quoted(record.msg)


class BrowserTrouble(logging.Filter):
    """Turns each record of ``TROUBLE`` into at most one line per kind per minute (and a
    message from a tab that had just closed into a one-line note)."""

    def __init__(self, limit: LogLimit) -> None:
        super().__init__()
        self.limit = limit

    def filter(self, record: logging.LogRecord) -> bool:
        if from_a_closed_tab(record.exc_info):
            log.info("a message from a tab that had closed was dropped")
            return False
        kind = kind_of(record)
        if kind is None:
            return True
        self.limit.line(kind, lambda: summary(record))
        return False


def exception_kind(error: BaseException) -> str:
    """A failed callback's kind: param's ValueError (a value out of range) or any other."""
    return BAD_VALUE if isinstance(error, ValueError) else FAILED_CHANGE


def describe(error: BaseException) -> str:
    """One short line for an exception: its type, its message quoted, and where in the
    playground's own code it was raised, if it was."""
    text = f"{type(error).__name__}: {quoted(str(error))}"
    ours = [
        frame
        for frame in traceback.extract_tb(error.__traceback__)
        if frame.filename.startswith(str(PACKAGE))
    ]
    if ours:
        where = Path(ours[-1].filename).relative_to(PACKAGE.parent)
        text += f" (at {where}:{ours[-1].lineno})"
    return text


def quiet_callback_errors(trouble: BrowserTrouble) -> None:
    """Panel's ``config.exception_handler`` (its public hook for an exception in a
    callback, which it raises into the event loop otherwise, to be logged with a
    traceback): one line per kind a minute. Outside a session it is every session's."""
    if getattr(pn.config.exception_handler, "quiets_callbacks", False):
        return

    def handler(error: BaseException) -> None:
        trouble.limit.line(exception_kind(error), lambda: describe(error))

    handler.quiets_callbacks = True
    pn.config.exception_handler = handler


# Bokeh warns each time it sends an integer beyond what JavaScript holds exactly; only a
# browser's own message puts one there (a slider sent 10**30), so once is enough.
BIG_INTEGER_WARNING = "out of range integer may result in loss of precision"


def quiet_big_integer_warnings() -> None:
    warnings.filterwarnings("once", message=BIG_INTEGER_WARNING, category=BokehUserWarning)


def quiet_browser_trouble() -> BrowserTrouble:
    """Installs one ``BrowserTrouble`` on each logger of ``TROUBLE`` (once per process)
    and returns it."""
    for name in LOGGERS:
        for existing in logging.getLogger(name).filters:
            if isinstance(existing, BrowserTrouble):
                quiet_callback_errors(existing)  # in a session of its own config
                return existing
    trouble = BrowserTrouble(LogLimit(log))
    for name in LOGGERS:
        logging.getLogger(name).addFilter(trouble)
    quiet_callback_errors(trouble)
    quiet_big_integer_warnings()
    return trouble
