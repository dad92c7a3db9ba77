/*
 * client_i.c - netlab client -i: a line client for the chat (seed 001).
 *
 * Seed 001's chat client uses two threads: one sends what the user types,
 * the other takes whatever arrives, so that a message from someone else
 * shows up while we are still typing. Here:
 *
 *   main thread      reads the keyboard (GNU readline: editing, history)
 *                    and send()s each line to the server;
 *   receiver thread  blocks in recv() and turns what arrives into safe
 *                    text, one line at a time.
 *
 * On a terminal, readline owns the screen: the line being typed is drawn
 * by readline, and a receiver that wrote to the screen behind its back
 * would tear that line apart. So the receiver hands each line to the main
 * thread through a pipe, and the main thread waits in poll() on both the
 * keyboard and the pipe: a key goes to readline, a line is printed above
 * the prompt, and readline redraws what was being typed.
 * When stdin is not a terminal (a pipe, a file), there is no prompt and no
 * readline: what stdin gives is sent as it comes, and the lines that
 * arrive are printed the same way.
 *
 * Ctrl-D (EOF) half-closes: shutdown(SHUT_WR) tells the server "nothing
 * more from me" while we still read its answers. We exit once the server
 * has closed its side too.
 *
 * What the server sends is shown safely: printable text as it is, and
 * every control character escaped (\x1b, \r, ...), so that no server can
 * write escape sequences onto this terminal.
 */
#include <errno.h>
#include <fcntl.h>
#include <langinfo.h>
#include <locale.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <readline/history.h>
#include <readline/readline.h>

#include "client.h"
#include "i18n.h"
#include "log.h"
#include "net.h"
#include "signals.h"

#define LINE_CHUNK 1000		/* longest piece shown as one line: safe text fits a pipe write */
#define SAFE_SIZE  (4 * LINE_CHUNK + 2)
#define PARTIAL_MS 200		/* a line without its newline is shown after this long */

struct receiver {
	int sock;		/* shared with main: main only sends and shuts down */
	int out_fd;		/* where safe lines go: the pipe, or stdout */
	int failed;		/* the connection broke (errno), rather than closed */
};

static int utf8;		/* the terminal takes UTF-8: show it, not \xNN */
static int sock = -1;		/* main thread's view of the connection */
static int typing;		/* readline is installed and draws the prompt */
static int stdin_open;		/* not a terminal: stdin has not reached EOF yet */
static int send_failed;

/* Length of a well-formed UTF-8 character at p that is not a control (C1). */
static size_t utf8_char(const unsigned char *p, size_t len)
{
	unsigned cp;
	size_t n;

	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		n = 2, cp = p[0] & 0x1f;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		n = 3, cp = p[0] & 0x0f;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		n = 4, cp = p[0] & 0x07;
	else
		return 0;
	if (n > len)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (p[i] & 0x3f);
	}
	if (cp < 0xa0 || (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;	/* C1 controls, overlong forms, surrogates */
	return n;
}

/* Bytes from the server as text that cannot steer the terminal; ends in \n. */
static size_t make_safe(char *out, const unsigned char *p, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	size_t n = 0, k;

	for (size_t i = 0; i < len; i++) {
		if ((p[i] >= 0x20 && p[i] < 0x7f) || p[i] == '\t') {
			out[n++] = (char)p[i];
		} else if (p[i] == '\n' && i == len - 1) {
			break;		/* the line's own end is added below */
		} else if (p[i] >= 0x80 && utf8 && (k = utf8_char(p + i, len - i)) > 0) {
			memcpy(out + n, p + i, k);
			n += k;
			i += k - 1;
		} else if (p[i] == '\r') {
			memcpy(out + n, "\\r", 2);
			n += 2;
		} else {	/* ESC, BEL, backspace, DEL, a stray \n, bytes that are not text */
			out[n++] = '\\';
			out[n++] = 'x';
			out[n++] = hex[p[i] >> 4];
			out[n++] = hex[p[i] & 0xf];
		}
	}
	out[n++] = '\n';
	return n;
}

static void emit(struct receiver *r, const unsigned char *line, size_t len)
{
	char safe[SAFE_SIZE];
	size_t n = make_safe(safe, line, len);

	/* One write per line: at most PIPE_BUF bytes, so it arrives whole. A
	 * main thread that has gone away (EPIPE) no longer needs it. */
	(void)!write(r->out_fd, safe, n);
}

/* The receiver thread: recv() until the server closes, line by line. */
static void *receive(void *arg)
{
	struct receiver *r = arg;
	unsigned char buf[4096], line[LINE_CHUNK];
	size_t line_len = 0;
	struct pollfd pfd = { .fd = r->sock, .events = POLLIN };
	ssize_t n;

	for (;;) {
		/* A half line waits a moment for the rest, then is shown as it is. */
		if (line_len > 0 && poll(&pfd, 1, PARTIAL_MS) == 0) {
			emit(r, line, line_len);
			line_len = 0;
		}
		n = recv(r->sock, buf, sizeof(buf), 0);	/* blocks until the server speaks */
		if (n == 0)
			break;			/* the server closed its side */
		if (n == -1) {
			if (errno == EINTR)
				continue;
			r->failed = errno;
			break;
		}
		for (ssize_t i = 0; i < n; i++) {
			line[line_len++] = buf[i];
			if (buf[i] == '\n' || line_len == sizeof(line)) {
				emit(r, line, line_len);
				line_len = 0;
			}
		}
	}
	if (line_len > 0)
		emit(r, line, line_len);
	close(r->out_fd);	/* end of file for the main thread: the server is gone */
	return NULL;
}

/* Lines for fd (the screen); on a terminal, above what is being typed. */
static void show_on(int fd, const char *text, size_t len)
{
	if (typing) {
		rl_clear_visible_line();	/* take the prompt line off the screen */
		fflush(rl_outstream);		/* readline writes through stdio: now */
	}
	(void)!write(fd, text, len);	/* a closed terminal: nothing to do */
	if (typing) {
		rl_on_new_line();		/* readline: the cursor is on a fresh line */
		rl_redisplay();			/* draw the prompt and the typed text again */
	}
}

static void show(const char *text, size_t len)
{
	show_on(STDOUT_FILENO, text, len);
}

static void note(const char *text)
{
	char line[256];
	int n = snprintf(line, sizeof(line), "(%s)\n", text);

	show(line, (size_t)n);
}

/* Say "nothing more from me"; we keep reading until the server closes. */
static void half_close(void)
{
	if (shutdown(sock, SHUT_WR) == -1 && errno != ENOTCONN)
		log_error("shutdown: %s", strerror(errno));
}

static void send_line(const char *text, size_t len)
{
	if (send_failed)
		return;
	if (net_send_all(sock, text, len, 0) == -1) {
		char line[160];
		int n = snprintf(line, sizeof(line), _("netlab: cannot send: %s\n"), strerror(errno));

		show_on(STDERR_FILENO, line, (size_t)n);	/* not through the prompt */
		send_failed = 1;	/* the receiver will see the connection end */
	}
}

/* readline calls this with each line typed, or NULL for Ctrl-D. */
static void on_line(char *line)
{
	if (line == NULL) {
		rl_callback_handler_remove();	/* no prompt from now on */
		typing = 0;
		note(_("Ctrl-D: the connection is half-closed (shutdown SHUT_WR); "
		    "waiting for the server to close its side"));
		half_close();
		return;
	}
	if (*line != '\0')
		add_history(line);	/* the up arrow brings it back */
	size_t len = strlen(line);
	line[len] = '\n';		/* readline dropped the newline; the server wants it */
	send_line(line, len + 1);
	free(line);
}

/* Not a terminal: what stdin gives is sent as it is; EOF half-closes. */
static void read_stdin(void)
{
	char buf[4096];
	ssize_t n = read(STDIN_FILENO, buf, sizeof(buf));

	if (n > 0) {
		send_line(buf, (size_t)n);
		return;
	}
	if (n == -1 && errno == EINTR)
		return;
	stdin_open = 0;
	half_close();
}

/*
 * The main thread: poll() on the receiver's pipe, Ctrl-C and the keyboard.
 * A key goes to readline (or, without a terminal, input goes straight out);
 * a line from the receiver goes on the screen. Until the server closes.
 */
static void main_loop(int from_receiver, int on_terminal)
{
	char buf[8192];
	size_t have = 0;
	ssize_t n;

	if (on_terminal) {
		rl_callback_handler_install("> ", on_line);
		typing = 1;
	}
	for (;;) {
		struct pollfd fds[3] = {
			{ .fd = from_receiver, .events = POLLIN },
			{ .fd = signals_stop_fd(), .events = POLLIN },
			{ .fd = typing || stdin_open ? STDIN_FILENO : -1, .events = POLLIN },
		};

		if (poll(fds, 3, -1) == -1) {
			if (errno == EINTR)
				continue;
			log_error("poll: %s", strerror(errno));
			break;
		}
		if (fds[1].revents != 0)
			break;				/* Ctrl-C */
		if (fds[0].revents != 0) {
			n = read(from_receiver, buf + have, sizeof(buf) - have);
			if (n <= 0)
				break;			/* the receiver is done: the server closed */
			have += (size_t)n;
			/* Show whole lines only; keep a piece of one for the next read. */
			char *end = memrchr(buf, '\n', have);
			if (end != NULL) {
				size_t whole = (size_t)(end - buf) + 1;

				show(buf, whole);
				memmove(buf, buf + whole, have - whole);
				have -= whole;
			}
		}
		if (fds[2].revents != 0) {
			if (typing)
				rl_callback_read_char();	/* may call on_line() */
			else
				read_stdin();
		}
	}
	if (typing) {
		rl_callback_handler_remove();	/* gives the terminal back as it was */
		typing = 0;
		(void)!write(STDOUT_FILENO, "\n", 1);
	}
}

int run_client_interactive(const struct options *opt)
{
	struct receiver r;
	int on_terminal = isatty(STDIN_FILENO) && isatty(STDOUT_FILENO);
	int to_main[2] = { -1, -1 };
	sigset_t stop, old;
	pthread_t tid;
	int rc;

	if (opt->nargs > 0)
		usage_error(_("client -i takes no MESSAGE: type the lines instead"));
	setlocale(LC_CTYPE, "");
	utf8 = strcmp(nl_langinfo(CODESET), "UTF-8") == 0;
	if (signals_init() == -1) {
		log_error(_("cannot install the signal handlers"));
		return 1;
	}
	sock = r.sock = client_connect(opt);
	if (sock == -1)
		return 1;
	/* The receiver's lines come to the main thread through this pipe. */
	if (pipe2(to_main, O_CLOEXEC) == -1) {
		log_error("pipe: %s", strerror(errno));
		close(sock);
		return 1;
	}
	r.out_fd = to_main[1];		/* the receiver owns the write end */
	r.failed = 0;
	stdin_open = !on_terminal;
	if (on_terminal) {
		printf(_("Connected to %s port %s. Type a line and press Enter to send it; "
		    "Ctrl-D to finish.\n"), opt->host, opt->port);
		fflush(stdout);
	}

	/* Ctrl-C must reach the main thread, which is the one that waits for it. */
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	sigaddset(&stop, SIGWINCH);
	pthread_sigmask(SIG_BLOCK, &stop, &old);
	rc = pthread_create(&tid, NULL, receive, &r);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc != 0) {
		log_error(_("cannot start the receiving thread: %s"), strerror(rc));
		close(to_main[0]);
		close(to_main[1]);
		close(sock);
		return 1;
	}

	main_loop(to_main[0], on_terminal);

	if (stop_requested)
		shutdown(sock, SHUT_RDWR);	/* Ctrl-C: wake the receiver from recv() */
	close(to_main[0]);		/* a receiver still writing gets EPIPE, not stuck */
	pthread_join(tid, NULL);
	close(sock);
	if (r.failed != 0 && !stop_requested) {
		log_error(_("connection to %s port %s lost: %s"), opt->host, opt->port,
		    strerror(r.failed));
		return 1;
	}
	if (on_terminal && !stop_requested)
		printf(_("(the server closed the connection)\n"));
	return send_failed ? 1 : 0;
}
