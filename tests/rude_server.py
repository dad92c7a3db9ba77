#!/usr/bin/env python3
"""rude_server.py reset|silent: a server that bench must catch misbehaving.

Listens on 127.0.0.1 port 0 and prints the port. 'reset': reads a client's
first bytes, then closes with SO_LINGER 0, so the kernel sends a reset
(RST) instead of an orderly FIN. 'silent': accepts every client and never
answers. Runs until it is killed."""
import selectors
import socket
import struct
import sys

mode = sys.argv[1]
server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
server.bind(("127.0.0.1", 0))
server.listen(128)
print(server.getsockname()[1], flush=True)
sel = selectors.DefaultSelector()
sel.register(server, selectors.EVENT_READ)
held = []
while True:
    for key, _ in sel.select():
        if key.fileobj is server:
            client, _ = server.accept()
            held.append(client)  # silent: held open, never read
            if mode == "reset":
                sel.register(client, selectors.EVENT_READ)
        else:
            key.fileobj.recv(4096)
            key.fileobj.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                   struct.pack("ii", 1, 0))
            sel.unregister(key.fileobj)
            key.fileobj.close()  # linger 0: a reset, not a goodbye
