#!/usr/bin/env python3
"""send_bytes.py PORT EXPR: send the bytes that Python expression EXPR makes,
read back as many, print repr() of what came back."""
import socket
import sys

port, expr = int(sys.argv[1]), sys.argv[2]
data = eval(expr, {})  # a test's own literal, e.g. "bytes(range(256))"
with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
    s.sendall(data)
    got = b""
    while len(got) < len(data):
        chunk = s.recv(65536)
        if not chunk:
            break
        got += chunk
print(repr(got))
