#!/usr/bin/env python3
"""py_fork_server.py PORT: an echo server that forks one child per client.

The parent accepts, forks, closes its copy of the client's socket and goes
back to accept(); the child closes its copy of the listening socket and
serves its one client. The kernel reaps the children (SIGCHLD ignored).
Prints "listening on PORT".
"""
import os
import signal
import socket
import sys


def serve(conn):
    while data := conn.recv(1024):
        conn.sendall(data)


def main():
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # no zombies
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.0.0.1", int(sys.argv[1])))
    s.listen()
    print(f"listening on {s.getsockname()[1]}", flush=True)
    while True:
        conn, addr = s.accept()
        print(f"Received new connection from {addr}", flush=True)
        if os.fork() == 0:
            s.close()  # child: only its client
            serve(conn)
            os._exit(0)
        conn.close()  # parent: the child has it


if __name__ == "__main__":
    main()
