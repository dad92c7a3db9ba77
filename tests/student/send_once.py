# A threaded echo server with a classic slip: send() instead of sendall().
# send() takes what fits in the kernel's buffer and says how much; this
# server never looks. The timeout makes the socket non-blocking inside
# Python, so send() really does come back short. Usage: send_once.py [PORT]
import socket
import sys
import threading

port = int(sys.argv[1]) if len(sys.argv) > 1 else 12345


def answer(conn):
    conn.settimeout(10)
    with conn:
        while True:
            try:
                chunk = conn.recv(65536)
                if not chunk:
                    return
                conn.send(chunk)        # the slip: whatever did not fit is lost
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
