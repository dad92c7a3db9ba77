#!/usr/bin/env python3
"""send_bytes.py PORT EXPR: send the bytes that Python expression EXPR makes,
read back as many, print repr() of what came back."""
import os
import socket
import sys

SLOW = int(os.environ.get("NETLAB_SLOW", "1"))  # make asan/tsan/valgrind: slower

port, expr = int(sys.argv[1]), sys.argv[2]
data = eval(expr, {})  # a test's own literal, e.g. "bytes(range(256))"
with socket.create_connection(("127.0.0.1", port), timeout=10 * SLOW) as s:
    s.sendall(data)
    got = b""
    while len(got) < len(data):
        chunk = s.recv(65536)
        if not chunk:
            break
        got += chunk
print(repr(got))
