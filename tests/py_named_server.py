#!/usr/bin/env python3
"""py_named_server.py PORT: a server whose threads have names beyond ASCII.

Before it listens, the main thread names itself 'città' (UTF-8), a second
thread a name of 16 bytes whose last character the kernel cuts in half
(a thread's name keeps 15 bytes), a third one with a C1 control code
(U+009B, which some terminals read as the start of an escape sequence).
Then it accepts, and prints "listening on PORT".
"""
import socket
import sys
import threading


def name_this_thread(name):
    with open("/proc/thread-self/comm", "wb") as comm:
        comm.write(name.encode())


def named_thread(name):
    named = threading.Event()

    def run():
        name_this_thread(name)
        named.set()
        threading.Event().wait()

    threading.Thread(target=run, daemon=True).start()
    named.wait()


def main():
    name_this_thread("città")
    named_thread("a" * 14 + "è")
    named_thread("csi\u009b[2J")
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind(("127.0.0.1", int(sys.argv[1])))
    s.listen()
    print(f"listening on {s.getsockname()[1]}", flush=True)
    while True:
        s.accept()[0].close()


if __name__ == "__main__":
    main()
