#!/usr/bin/env python3
"""py_threaded_server.py PORT: a student's echo server, one thread per client.

The main thread only accepts; every client gets a thread of its own that
sits in recv() until its client speaks. Prints "listening on PORT".
"""
import socket
import sys
import threading


def handle(conn):
    with conn:
        while data := conn.recv(1024):
            conn.sendall(data)


def main():
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.0.0.1", int(sys.argv[1])))
    s.listen()
    print(f"listening on {s.getsockname()[1]}", flush=True)
    while True:
        conn, addr = s.accept()
        print(f"Received new connection from {addr}", flush=True)
        threading.Thread(target=handle, args=(conn,), daemon=True).start()


if __name__ == "__main__":
    main()
