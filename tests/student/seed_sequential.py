# seed_sequential.py - the tutorial's server as a student pastes it into
# lab 12's server.py (seed 004: handle_new_connections_simple, with the
# threaded loop beside it and start_server() choosing one). Nothing catches
# a reset: a client that resets ends the whole server. The student driver
# plays lab 12 with it (tests/student.bats).
import socket
import threading

HOST = "localhost"
PORT = 12345


def initialize_server_socket():
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((HOST, PORT))
    sock.listen()
    print(f"Starting server on '{HOST}' port {PORT}")
    return sock


def handle_new_connections_simple(sock):
    def handle_client(conn):
        while True:
            data = conn.recv(1024)
            if not data:
                break
            print("Received:", data)
            conn.sendall(data)
        conn.close()

    while True:
        conn, addr = sock.accept()
        print("Received new connection from ", addr)
        handle_client(conn)


def handle_new_connections_threads(sock):
    def handle_client(conn):
        while True:
            data = conn.recv(1024)
            if not data:
                break
            print("Received:", data)
            conn.sendall(data)
        conn.close()

    while True:
        conn, addr = sock.accept()
        print("Received new connection from ", addr)
        thread = threading.Thread(target=handle_client, args=(conn,))
        thread.start()


def start_server():
    listen_socket = initialize_server_socket()
    handle_new_connections_simple(listen_socket)
    # handle_new_connections_threads(listen_socket)


start_server()
