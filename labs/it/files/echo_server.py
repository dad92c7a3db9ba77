# echo_server.py - il file di partenza del lab 12 di netlab, "Il tuo server".
#
# Un server echo: ogni byte che un client invia gli torna indietro, identico.
# Ascolta su localhost, porta 12345 (o la porta data come argomento).
# Così com'è serve un client alla volta. Il lab ti fa cambiare una riga in
# fondo perché ogni client abbia un thread tutto suo, poi 'netlab check' ti
# dice se ciascuna versione fa quello che deve.
import socket
import sys
import threading

HOST = "localhost"
PORT = int(sys.argv[1]) if len(sys.argv) > 1 else 12345


def handle_client(conn, addr):
    """Rimanda a questo client ciò che invia finché non chiude, poi chiude il socket."""
    with conn:                          # chiude conn comunque si esca
        try:
            while True:
                data = conn.recv(4096)  # aspetta che il client invii qualcosa
                if not data:            # b'': il client ha chiuso il suo lato
                    break
                print("Received:", data, flush=True)
                conn.sendall(data)      # tutto: send() può prenderne solo una parte
        except OSError as error:        # un reset, una pipe rotta: solo questo client
            print("Lost", addr, "-", error, flush=True)
    print("Connection with", addr, "closed", flush=True)


def serve_one_at_a_time(listener):
    """Accetta un client, servilo fino alla fine, e solo allora accetta il prossimo."""
    while True:
        conn, addr = listener.accept()
        print("Received new connection from ", addr, flush=True)
        handle_client(conn, addr)       # intanto nessun altro viene servito


def serve_with_threads(listener):
    """Accetta un client, affidalo a un nuovo thread, torna subito ad accept()."""
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
# La seconda versione del lab: sostituisci la riga sopra con quella sotto.
# serve_with_threads(listener)
