#!/usr/bin/env python3
"""never_reads.py PORT [STALL]: a client that sends and sends and never reads.

Sends 64 KiB blocks to a netlab echo server without ever reading the echo.
A server that stops reading from it (backpressure) makes our send() block
at last: once one has waited STALL seconds (default 1, times NETLAB_SLOW),
this prints "stalled after N bytes" and holds the connection open until
stdin is closed or it is killed. If the server closes the
connection instead, it prints "closed after N bytes: ERROR"; if 512 MiB go
out without a stall, "never stalled". Exits 0 only after a stall.
"""
import os
import socket
import sys

LIMIT = 512 * 1024 * 1024
SLOW = int(os.environ.get("NETLAB_SLOW", "1"))  # make asan/tsan/valgrind: slower


def main():
    sock = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=10 * SLOW)
    stall = float(sys.argv[2]) if len(sys.argv) > 2 else 1.0
    sock.settimeout(stall * SLOW)  # a send that waits this long means: stalled
    block = b"x" * 65536
    sent = 0
    while sent < LIMIT:
        try:
            sent += sock.send(block)
        except socket.timeout:
            print(f"stalled after {sent} bytes", flush=True)
            sys.stdin.read()  # hold on, never reading the socket
            return 0
        except OSError as e:
            print(f"closed after {sent} bytes: {e}", flush=True)
            return 1
    print("never stalled", flush=True)
    return 1


if __name__ == "__main__":
    sys.exit(main())
