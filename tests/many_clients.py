#!/usr/bin/env python3
"""many_clients.py PORT N: hold N connections to a netlab echo server at once.

Opens N connections and keeps them all open. Then, one connection after
the other, sends a line and reads the answer: the echo ("served"), the
server-full line ("full"), or the connection ends without either ("lost",
e.g. shed when the server ran out of descriptors). While all N are still
open, a newcomer connects and does the same. Prints one summary line:

    opened=N served=S full=F lost=L newcomer=served|full|lost

and exits 0; 1 if a connection could not even be opened.
"""
import os
import socket
import sys

FULL = b"netlab: server full"
SLOW = int(os.environ.get("NETLAB_SLOW", "1"))  # make asan/tsan/valgrind: slower


def ask(sock, text):
    """Send a line, return what came back: served, full or lost."""
    try:
        sock.sendall(text)
    except OSError:
        pass  # already closed by the server: what it sent first may still be there
    got = b""
    try:
        while not got.endswith(b"\n"):
            chunk = sock.recv(4096)
            if not chunk:
                break
            got += chunk
    except OSError:
        pass
    if got == text:
        return "served"
    if got.startswith(FULL):
        return "full"
    return "lost"


def main():
    port, n = int(sys.argv[1]), int(sys.argv[2])
    socks = []
    for i in range(n):
        try:
            socks.append(socket.create_connection(("127.0.0.1", port), timeout=10 * SLOW))
        except OSError as e:
            print(f"connection {i} failed: {e}", flush=True)
            return 1
    counts = {"served": 0, "full": 0, "lost": 0}
    for i, s in enumerate(socks):
        counts[ask(s, b"ping %d\n" % i)] += 1
    newcomer = socket.create_connection(("127.0.0.1", port), timeout=10 * SLOW)
    late = ask(newcomer, b"newcomer\n")
    print(f"opened={n} served={counts['served']} full={counts['full']} "
          f"lost={counts['lost']} newcomer={late}", flush=True)
    for s in socks + [newcomer]:
        s.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
