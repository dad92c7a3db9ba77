#!/usr/bin/env python3
"""Clients that nc cannot be: exact timing, resets, half-closes, floods.

    netclients.py count PORT CLIENTS LINES   CLIENTS connect, all send LINES
                                             lines at once; print the total
    netclients.py huge PORT BYTES            send BYTES while reading; the
                                             echo must match byte for byte
    netclients.py halfclose PORT BYTES       send, shutdown(SHUT_WR), read the
                                             echo to the end; it must match
    netclients.py reset PORT                 send without reading until the
                                             server is stuck mid-answer, then
                                             reset (SO_LINGER 0)
    netclients.py vanish PORT BYTES          send, close at once, read nothing
    netclients.py flood PORT N               open N connections, hold them
                                             until stdin ends, close them
    netclients.py deaf PORT                  connect with tiny buffers, never
                                             read, hold until stdin ends
    netclients.py talk PORT LINES            send LINES chat lines, close
    netclients.py echo PORT LINES            send LINES lines one at a time,
                                             each after the last one's echo
                                             (a recv, and a log line, each)

Exit 0 when the server behaved, 1 (with a line on stderr) when it did not.
"""
import os
import socket
import struct
import sys
import threading
import time

HOST = "127.0.0.1"
# How many times slower the server under test runs (make asan, tsan and
# valgrind set it): every time limit below is multiplied by it.
SLOW = int(os.environ.get("NETLAB_SLOW", "1"))


def connect(port, small_buffers=False):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    if small_buffers:  # set before connect(), or the window is already agreed
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 4096)
    s.settimeout(20 * SLOW)
    s.connect((HOST, port))
    return s


def fail(msg):
    print(msg, file=sys.stderr)
    sys.exit(1)


def pattern(n):
    """n bytes in which every byte value occurs, not repeating every 256."""
    block = bytes((i * 7 + i // 256) % 256 for i in range(65521))  # a prime
    return (block * (n // len(block) + 1))[:n]


def read_lines(s, n):
    buf = b""
    while buf.count(b"\n") < n:
        data = s.recv(65536)
        if not data:
            break
        buf += data
    return buf.split()


def count(port, clients, lines):
    # Every client is connected and has sent all its lines before anyone
    # reads: the server's threads all work on the total at the same time.
    socks = [connect(port) for _ in range(clients)]
    for s in socks:
        s.sendall(b"+\n" * lines)
    for i, s in enumerate(socks):
        answers = read_lines(s, lines)
        if len(answers) != lines:
            fail(f"client {i} got {len(answers)} answers for {lines} lines")
        s.close()
    # One more line, sent alone: the answer is the final total plus one.
    s = connect(port)
    s.sendall(b"+\n")
    total = int(read_lines(s, 1)[0]) - 1
    s.close()
    print(total)


def huge(port, size):
    data = pattern(size)
    s = connect(port)
    # Send and read at once: a client that only sends would fill both
    # directions' buffers and wait forever for a server waiting on it.
    sender = threading.Thread(target=s.sendall, args=(data,))
    sender.start()
    got = bytearray()
    while len(got) < size:
        chunk = s.recv(1 << 16)
        if not chunk:
            break
        got += chunk
    sender.join()
    s.close()
    if bytes(got) != data:
        same = next((i for i, (a, b) in enumerate(zip(got, data)) if a != b), len(got))
        fail(f"echo differs: got {len(got)} of {size} bytes, first difference at {same}")
    print(len(got))


def halfclose(port, size):
    data = pattern(size)
    s = connect(port)
    s.sendall(data)
    s.shutdown(socket.SHUT_WR)  # "I am done sending"; still listening
    got = bytearray()
    while True:
        chunk = s.recv(1 << 16)
        if not chunk:
            break
        got += chunk
    s.close()
    if bytes(got) != data:
        fail(f"after the half-close, got {len(got)} of {size} bytes back")
    print(len(got))


def reset(port):
    # Small buffers, never read: the server's answer backs up until its
    # send() blocks, and ours soon does too. Then: RST, mid-answer.
    s = connect(port, small_buffers=True)
    s.setblocking(False)
    sent, chunk, stuck_since = 0, b"x" * 4096, None
    while sent < (64 << 20):
        try:
            sent += s.send(chunk)
            stuck_since = None
        except BlockingIOError:
            stuck_since = stuck_since or time.monotonic()
            if time.monotonic() - stuck_since > 0.2 * SLOW:
                break
            time.sleep(0.01)
    if stuck_since is None:
        fail(f"sent {sent} bytes and the server never stopped reading")
    s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    s.close()  # linger 0: the kernel sends RST, not FIN
    print(sent)


def vanish(port, size):
    s = connect(port)
    s.sendall(pattern(size))
    s.close()  # nothing unread yet, so a FIN: the server's answer gets RST,
    print(size)  # and its next send() fails with EPIPE (SIGPIPE's errno)


def flood(port, n):
    socks = []
    for _ in range(n):
        socks.append(connect(port))
    print(f"open {len(socks)}", flush=True)
    sys.stdin.read()  # hold them all until the test closes our stdin
    for s in socks:
        s.close()


def deaf(port):
    s = connect(port, small_buffers=True)
    print("deaf", flush=True)
    sys.stdin.read()
    s.close()


def talk(port, lines):
    s = connect(port)
    line = b"a line that every other client of the chat should get\n"
    s.sendall(line * lines)  # stalls if the server stops reading us
    s.close()
    print(lines)


def echo(port, lines):
    s = connect(port)
    for i in range(lines):
        line = b"line %d\n" % i
        s.sendall(line)
        got = b""
        while not got.endswith(b"\n"):
            data = s.recv(65536)
            if not data:
                fail(f"the server closed after {i} lines")
            got += data
        if got != line:
            fail(f"sent {line!r}, got {got!r}")
    s.close()
    print(lines)


def main():
    mode, port, args = sys.argv[1], int(sys.argv[2]), [int(a) for a in sys.argv[3:]]
    {"count": count, "huge": huge, "halfclose": halfclose, "reset": reset,
     "vanish": vanish, "flood": flood,
     "deaf": deaf, "talk": talk, "echo": echo}[mode](port, *args)


if __name__ == "__main__":
    main()
