#!/usr/bin/env python3
"""refusing_port.py: hold a loopback port that refuses connections.

Binds 127.0.0.1 port 0 without listen(): a connect() there is refused, and
no other program can take the port while this one holds it. Prints the
port, then waits until it is killed."""
import signal
import socket

s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1], flush=True)
signal.pause()
