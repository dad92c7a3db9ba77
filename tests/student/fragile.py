# An echo server, one client at a time, with no error handling at all: the
# first client that resets the connection takes the whole server down.
# Usage: python3 fragile.py [PORT]
import socket
import sys

port = int(sys.argv[1]) if len(sys.argv) > 1 else 12345

listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
listener.bind(("localhost", port))
listener.listen(5)
print("listening on", listener.getsockname()[1], flush=True)
while True:
    conn, who = listener.accept()
    while True:
        chunk = conn.recv(4096)         # a reset raises here, or in sendall()
        if not chunk:
            break
        conn.sendall(chunk)
    conn.close()
