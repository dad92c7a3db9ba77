# A student's first echo server: it serves one client at a time, start to
# finish, then takes the next. Usage: python3 one_at_a_time.py [PORT]
import socket
import sys

port = int(sys.argv[1]) if len(sys.argv) > 1 else 12345


def answer(conn):
    with conn:
        while True:
            try:
                chunk = conn.recv(4096)
                if not chunk:
                    return
                conn.sendall(chunk)
            except OSError:     # the client vanished: forget it, not the server
                return


listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
listener.bind(("localhost", port))
listener.listen(5)
print("listening on", listener.getsockname()[1], flush=True)
while True:
    conn, who = listener.accept()
    answer(conn)
