#!/usr/bin/env python3
"""py_sequential_server.py PORT [--ipv6]: a student's first echo server.

Written the way the tutorials write it, so that 'netlab watch' is tried
on a server netlab did not write: one client at a time, the next one
waits in the kernel's accept queue. PORT 0 picks a free port; the server
prints "listening on PORT" once it listens. --ipv6 listens on ::1.
"""
import socket
import sys


def handle(conn):
    while True:
        data = conn.recv(1024)
        if not data:
            break
        conn.sendall(data)
    conn.close()


def main():
    family, host = socket.AF_INET, "127.0.0.1"
    if "--ipv6" in sys.argv:
        family, host = socket.AF_INET6, "::1"
    s = socket.socket(family, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((host, int(sys.argv[1])))
    s.listen()
    print(f"listening on {s.getsockname()[1]}", flush=True)
    while True:
        conn, addr = s.accept()
        print(f"Received new connection from {addr}", flush=True)
        handle(conn)


if __name__ == "__main__":
    main()
