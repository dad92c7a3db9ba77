# seed_echo.py - seed 004's threaded echo server, as the tutorial writes it,
# for netlab's lab 13: recv(1024), and each piece sent back with sendall().
# Python leaves Nagle's algorithm on, as every new socket has it. Give
# "nodelay" after the port to turn it off for each client, as the lab's
# last step does. It prints its real port, so that port 0 works.
import socket
import sys
import threading

HOST = "localhost"
PORT = int(sys.argv[1]) if len(sys.argv) > 1 else 12345
NODELAY = sys.argv[2:3] == ["nodelay"]


def handle_client(conn):
    with conn:
        if NODELAY:     # each piece leaves at once, ACK or not
            conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        while True:
            data = conn.recv(1024)      # at most 1024 bytes, as the tutorial
            if not data:
                break
            conn.sendall(data)          # answered piece by piece


listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
listener.bind((HOST, PORT))
listener.listen(5)
print(f"Starting server on '{HOST}' port {listener.getsockname()[1]}", flush=True)
while True:
    conn, addr = listener.accept()
    threading.Thread(target=handle_client, args=(conn,), daemon=True).start()
