#!/usr/bin/env python3
"""A client that leaves rudely, for the "costs only itself" tests.

    abrupt_client.py PORT reset MESSAGE
        connect, send MESSAGE, print "sent", then wait for a line on stdin
        (the test sends it once the server is mid-answer) and close with
        SO_LINGER {1, 0}: the kernel sends RST instead of FIN, so the
        server's next send() or recv() fails with ECONNRESET or EPIPE.

    abrupt_client.py PORT halfclose MESSAGE
        connect, send MESSAGE, shutdown(SHUT_WR) (the server's recv()
        returns b'' while we still read), then print everything that
        comes back until the server closes.

MESSAGE may hold \\n escapes. Standard library only.
"""
import socket
import struct
import sys


def main():
    port, mode, message = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    data = message.encode().decode("unicode_escape").encode("latin-1")
    sock = socket.create_connection(("127.0.0.1", port), timeout=10)
    sock.sendall(data)
    if mode == "reset":
        print("sent", flush=True)
        sys.stdin.readline()
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        sock.close()
    elif mode == "halfclose":
        sock.shutdown(socket.SHUT_WR)
        got = b""
        while True:
            chunk = sock.recv(4096)
            if not chunk:
                break
            got += chunk
        sock.close()
        print(repr(got), flush=True)
    else:
        sys.exit("unknown mode " + mode)


if __name__ == "__main__":
    main()
