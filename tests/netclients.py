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
    netclients.py abandon PORT               send without reading until the
                                             server waits to answer, half-close,
                                             then reset: the server's socket is
                                             in CLOSE_WAIT, so its send() fails
                                             with EPIPE (SIGPIPE's errno)
    netclients.py nodelay PORT               connect, then print TCP_NODELAY
                                             (on or off) as set on the
                                             server's end of the connection
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
import ctypes
import errno
import fcntl
import os
import select
import socket
import struct
import sys
import termios
import threading
import time

HOST = "127.0.0.1"
# How many times slower the server under test runs (make asan, tsan and
# valgrind set it): every time limit below is multiplied by it.
SLOW = int(os.environ.get("NETLAB_SLOW", "1"))
FIN_WAIT2 = 5  # tcpi_state: our FIN is acknowledged, theirs has not come
NETLINK_SOCK_DIAG, SOCK_DIAG_BY_FAMILY = 4, 20  # <linux/sock_diag.h>
PIDFD_GETFD = 438  # the system call's number, on every architecture but alpha


def connect(port, small_buffers=False, small_segments=False):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    if small_buffers:  # set before connect(), or the window is already agreed
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 4096)
    if small_segments:  # 4 KiB: Linux sizes the server's send buffer from the
        # segment size we announce (on loopback, about 300 KiB, not 4 MiB)
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_MAXSEG, 4096)
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


def server_end(s):
    """The server's end of our connection, as the kernel describes it to ss
    (sock_diag, on a netlink socket), asked for that one socket only:
    (bytes of ours it has not read yet, its socket's inode)."""
    me, server = s.getsockname(), s.getpeername()
    ends = struct.pack("!HH16s16s", server[1], me[1], socket.inet_aton(server[0]),
                       socket.inet_aton(me[0]))
    request = struct.pack("=BBxxI", socket.AF_INET, socket.IPPROTO_TCP, 0xFFFFFFFF) + \
        ends + struct.pack("=III", 0, 0xFFFFFFFF, 0xFFFFFFFF)  # any interface, no cookie
    with socket.socket(socket.AF_NETLINK, socket.SOCK_DGRAM, NETLINK_SOCK_DIAG) as diag:
        diag.send(struct.pack("=IHHII", 16 + len(request), SOCK_DIAG_BY_FAMILY, 1, 0, 0) +
                  request)
        answer = diag.recv(4096)
    if struct.unpack_from("=H", answer, 4)[0] != SOCK_DIAG_BY_FAMILY:
        fail(f"sock_diag does not know the server's end of port {me[1]}")
    # After the netlink header (16 bytes), struct inet_diag_msg; from its
    # byte 56: idiag_rqueue, idiag_wqueue, idiag_uid, idiag_inode.
    unread, _, _, inode = struct.unpack_from("=IIII", answer, 16 + 56)
    return unread, inode


def unacknowledged(s):
    """Bytes we sent that the server's kernel has not acknowledged yet."""
    return struct.unpack("i", fcntl.ioctl(s, termios.TIOCOUTQ, b"\0" * 4))[0]


def stopped_reading(s):
    """The server holds 16 KiB of ours unread and reads none of it for 0.1 s
    (times SLOW): it waits to send, and only our reading would let it go on."""
    unread = server_end(s)[0]
    if unread < 16384:
        return False
    until = time.monotonic() + 0.1 * SLOW
    while time.monotonic() < until:
        time.sleep(0.01)
        if server_end(s)[0] < unread:
            return False  # it reads on: it was only slow
    return True


def abandon(port):
    # A send() meets EPIPE, not ECONNRESET, when the reset comes after the
    # server has our FIN (its socket in CLOSE_WAIT). So: send, never reading,
    # until the server stops reading us because it waits to send an echo
    # we do not read, with room left in its receive buffer for our FIN;
    # half-close; once the FIN is in, reset.
    s = connect(port, small_buffers=True, small_segments=True)
    s.setblocking(False)
    sent, chunk = 0, b"x" * 4096
    deadline = time.monotonic() + 20 * SLOW
    while not stopped_reading(s):
        if time.monotonic() > deadline:
            fail(f"sent {sent} bytes and the server never stopped reading them")
        # At most 16 KiB of ours on the way: once the server stops reading,
        # no more than that arrives after it.
        if unacknowledged(s) >= 16384:
            time.sleep(0.001)
            continue
        try:
            sent += s.send(chunk)
        except BlockingIOError:
            select.select([], [s], [], 0.01)
    s.shutdown(socket.SHUT_WR)
    while s.getsockopt(socket.IPPROTO_TCP, socket.TCP_INFO, 1)[0] != FIN_WAIT2:
        if time.monotonic() > deadline:
            fail("the server never acknowledged our FIN")
        time.sleep(0.001)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    s.close()  # RST: the send() the server waits in fails with EPIPE
    print(sent)


def holders(inode):
    """The processes that hold socket INODE, each with its descriptor for it."""
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            for fd in os.listdir(f"/proc/{pid}/fd"):
                if os.readlink(f"/proc/{pid}/fd/{fd}") == f"socket:[{inode}]":
                    yield int(pid), int(fd)
        except OSError:
            continue  # it ended meanwhile, or is not ours to look into


def server_socket(s):
    """A copy of the server's own socket for our connection. pidfd_getfd()
    (Linux 5.6) copies a descriptor out of another process, where we could
    ptrace that process (root can)."""
    inode = server_end(s)[1]
    for pid, fd in holders(inode):
        try:
            pidfd = os.pidfd_open(pid)
        except OSError:
            continue  # it ended meanwhile
        copy = ctypes.CDLL(None, use_errno=True).syscall(PIDFD_GETFD, pidfd, fd, 0)
        error = ctypes.get_errno()
        os.close(pidfd)
        if copy == -1 and error == errno.EPERM:
            fail(f"pidfd_getfd: not allowed to take pid {pid}'s descriptors (run as root)")
        # fork's parent may have closed its copy, once the child had it
        if copy != -1 and os.fstat(copy).st_ino == inode:
            return socket.socket(fileno=copy)
        if copy != -1:
            os.close(copy)
    fail(f"no process lets us copy socket {inode}")


def nodelay(port):
    # TCP_NODELAY as it is now on the server's socket for our connection,
    # however it got so.
    s = connect(port)
    s.sendall(b"ping\n")
    if s.recv(16) != b"ping\n":  # answered: accepted, and its options set
        fail("no echo of ping")
    with server_socket(s) as theirs:
        print("on" if theirs.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) else "off")
    s.close()


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
     "abandon": abandon, "nodelay": nodelay, "flood": flood,
     "deaf": deaf, "talk": talk, "echo": echo}[mode](port, *args)


if __name__ == "__main__":
    main()
