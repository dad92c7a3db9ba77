# echo_server.py - the starting file of netlab's lab 12, "Your own server".
#
# An echo server: every byte a client sends comes back to it, unchanged.
# It listens on localhost port 12345 (or the port given as its argument).
# As it comes, it serves one client at a time. The lab has you change one
# line at the bottom so that every client gets a thread of its own, then
# 'netlab check' tells you whether each version does what it should.
import socket
import sys
import threading

HOST = "localhost"
PORT = int(sys.argv[1]) if len(sys.argv) > 1 else 12345


def handle_client(conn, addr):
    """Echo what this client sends until it hangs up, then close its socket."""
    with conn:                          # closes conn however we leave
        try:
            while True:
                data = conn.recv(4096)  # waits until the client sends something
                if not data:            # b'': the client closed its side
                    break
                print("Received:", data, flush=True)
                conn.sendall(data)      # all of it: send() may take only a part
        except OSError as error:        # a reset, a broken pipe: this client only
            print("Lost", addr, "-", error, flush=True)
    print("Connection with", addr, "closed", flush=True)


def serve_one_at_a_time(listener):
    """Accept a client, serve it to the end, and only then accept the next."""
    while True:
        conn, addr = listener.accept()
        print("Received new connection from ", addr, flush=True)
        handle_client(conn, addr)       # nobody else is served meanwhile


def serve_with_threads(listener):
    """Accept a client, hand it to a new thread, go straight back to accept()."""
    while True:
        conn, addr = listener.accept()
        print("Received new connection from ", addr, flush=True)
        worker = threading.Thread(target=handle_client, args=(conn, addr), daemon=True)
        worker.start()


listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
listener.bind((HOST, PORT))
listener.listen(5)
print(f"Starting server on '{HOST}' port {PORT}", flush=True)
serve_one_at_a_time(listener)
# The lab's second version: replace the line above with the one below.
# serve_with_threads(listener)
