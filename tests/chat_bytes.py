#!/usr/bin/env python3
"""chat_bytes.py PORT [long]: one chat client sends control bytes, another
must receive them escaped, exactly.

Client B connects first, then A; B reads A's join notice, then A sends
b'\\x1b[31mred\\x00\\xff\\n' twice (the log says once that it escaped them).
Every byte B receives is checked: the join notice, then twice A's address,
': ', the line's bytes in the log's \\xNN form and a newline. Exit 0 when
that is exactly what arrived, 1 (saying what came instead) otherwise.

With 'long', A sends one line of 2500 bytes instead: B must receive it in
pieces of LINE_BYTES (1024), each after A's address and ended by a newline."""
import os
import socket
import sys
import time

port = int(sys.argv[1])
LONG = len(sys.argv) > 2 and sys.argv[2] == "long"
LINE = b"\x1b[31mred\x00\xff\n"
LINE_BYTES = 1024
SLOW = int(os.environ.get("NETLAB_SLOW", "1"))  # make asan/tsan/valgrind: slower


def connect():
    s = socket.create_connection(("127.0.0.1", port), timeout=20 * SLOW)
    return s


def peer(s):
    ip, p = s.getsockname()
    return f"('{ip}', {p})".encode()


def accepted(n):
    """With SERVER_LOG set: wait until the server has logged n accepts. A
    connect returns once the kernel has queued the connection; reuseport's
    loops may accept a later client first, and a client not accepted yet
    misses the notices of those who join before it."""
    log = os.environ.get("SERVER_LOG")
    deadline = time.monotonic() + 20 * SLOW
    while log and time.monotonic() < deadline:
        with open(log) as f:
            if f.read().count("Received new connection from") >= n:
                return
        time.sleep(0.02)


def read_exactly(s, n):
    got = b""
    deadline = time.monotonic() + 20 * SLOW
    while len(got) < n and time.monotonic() < deadline:
        chunk = s.recv(n - len(got))
        if not chunk:
            break
        got += chunk
    return got


b = connect()
accepted(1)
a = connect()
joined = b"*** " + peer(a) + b" joined\n"
got = read_exactly(b, len(joined))
if got != joined:
    sys.exit(f"B expected {joined!r}, got {got!r}")
if LONG:
    a.sendall(b"x" * 2500 + b"\n")
    want = b"".join(peer(a) + b": " + b"x" * n + b"\n" for n in (LINE_BYTES, LINE_BYTES, 452))
else:
    a.sendall(LINE + LINE)
    want = (peer(a) + b": " + rb"\x1b[31mred\x00\xff" + b"\n") * 2
got = read_exactly(b, len(want))
b.settimeout(0.3)  # nothing more may follow: a raw copy, a second line
try:
    got += b.recv(4096)
except socket.timeout:
    pass
if got != want:
    sys.exit(f"B expected {want!r}, got {got!r}")
a.close()
b.close()
print(got.decode()[-200:])
