"""What a lecture hall's connections may hold of the machine: open files (every student's
tab holds two or three connections) and kernel memory (a browser that stops reading
leaves the frames meant for it in its connection's send buffer)."""

import resource
import socket
from collections.abc import Iterable

# The kernel's send buffer per connection (doubled for its bookkeeping): 5 MB/s at a
# 100 ms round trip for a page's scripts, frames of a few kB (docs/DEPLOY.md).
SEND_BUFFER_BYTES = 256 * 1024


def more_file_descriptors() -> int:
    """Raises this process's limit of open files to what the system allows it: every
    student's tab holds two or three connections. Returns the limit now in force."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = hard if hard != resource.RLIM_INFINITY else max(soft, 65536)
    if wanted > soft:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
        except (ValueError, OSError):
            return soft
        return wanted
    return soft


def cap_send_buffers(listening: Iterable[socket.socket]) -> None:
    """Each connection accepted inherits its listening socket's send buffer: a browser
    that stops reading holds ``SEND_BUFFER_BYTES`` of kernel memory at most (Linux grows
    it to 4 MB); the server holds the rest back."""
    for sock in listening:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, SEND_BUFFER_BYTES)
