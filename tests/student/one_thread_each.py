# The same echo server, with a thread for each client, so nobody waits for
# anybody. Usage: python3 one_thread_each.py [PORT]
import socket
import sys
import threading

port = int(sys.argv[1]) if len(sys.argv) > 1 else 12345


def answer(conn):
    with conn:
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
