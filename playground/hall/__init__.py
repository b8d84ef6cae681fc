"""A lecture hall: several server processes (workers) behind HAProxy.

- ``room``: a worker's share of the hall: how many tabs it holds, whether it has room
  for one more (its own full-room page, and the agent that tells the proxy), and its
  figures (``/status``, ``/status.json``).
- ``proxy``: the HAProxy configuration (``playground proxy-config``), finding HAProxy.
- ``supervisor``: ``playground serve --workers N``: the workers, HAProxy in front of
  them, a worker restarted when it dies, everything stopped together.
- ``pages``: the pages a student or the lecturer sees (the room is full, the server is
  starting, the room at a glance) and the room's log line.

Only ``room`` runs inside a worker (beside Panel); the supervisor and the proxy's
configuration load neither Panel nor Bokeh.
"""
