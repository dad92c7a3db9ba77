# A threaded echo server with another classic slip: one recv(), one
# sendall(), then close. A line fits in one recv(1024); a long message
# does not, and the rest of it is never read. Usage: recv_once.py [PORT]
import socket
import sys
import threading

port = int(sys.argv[1]) if len(sys.argv) > 1 else 12345


def answer(conn):
    with conn:
        try:
            data = conn.recv(1024)      # the slip: one recv() is not the whole message
            conn.sendall(data)
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
