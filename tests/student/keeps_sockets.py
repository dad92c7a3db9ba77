# A threaded echo server that never closes a client's socket: it keeps
# every one in a list "for later". Usage: python3 keeps_sockets.py [PORT]
import socket
import sys
import threading

port = int(sys.argv[1]) if len(sys.argv) > 1 else 12345
kept = []


def answer(conn):
    kept.append(conn)           # the slip: no close(), ever
    while True:
        try:
            chunk = conn.recv(4096)
            if not chunk:
                return
            conn.sendall(chunk)
        except OSError:
            return


listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
listener.bind(("localhost", port))
listener.listen(5)
print("listening on", listener.getsockname()[1], flush=True)
while True:
    conn, who = listener.accept()
    threading.Thread(target=answer, args=(conn,), daemon=True).start()
