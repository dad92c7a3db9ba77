/*
 * fork.c - one child process per client (seed 003 "Multiprocessing";
 * TLPI is_echo_sv.c).
 *
 * The parent does one thing: accept(). For every client it calls fork():
 * the child is a copy of the parent, with a copy of every descriptor, and
 * it serves that one client and ends. Parent and children share no memory
 * at all, so a crash in one child costs only its client (and chat or count,
 * which need memory that all clients share, cannot work here).
 *
 * Two duties come with children. Each side closes the descriptor it does
 * not need, or the connection would never end. And a child that ends stays
 * a zombie until its parent collects its exit status with waitpid(): a
 * SIGCHLD handler does that the moment a child ends (see children.c).
 */
#include <stdio.h>
#include <sys/wait.h>

#include "bounds.h"
#include "children.h"
#include "servers.h"

/* The child: serve one client, then end. It never returns. */
static void serve_in_child(struct server *srv, struct client *c)
{
	signals_default_in_child();	/* Ctrl-C and SIGTERM end this child */
	log_set_actor("pid %d", (int)getpid());
	close(srv->listen_fd);		/* child: close our copy of listen_fd */
	serve_client(c);		/* this child is busy in here; nobody else waits */
	client_close(c);		/* logs "Connection with ... closed" */
	_exit(0);			/* not exit(): the parent's atexit work is not ours */
}

/*
 * Report the children reaped since last time. The SIGCHLD handler reaps a
 * child the moment it ends, but it must not log (not async-signal-safe);
 * it interrupts accept() instead, and the loop comes here. (A child that
 * ends just before accept() is entered is reported at the next wake-up.)
 */
static void report_exited(void)
{
	int status;
	pid_t pid;

	while ((pid = children_exited(&status)) > 0)
		log_note(_("child pid %d exited (%s %d) and was reaped with waitpid(): "
		    "it leaves no zombie"), (int)pid,
		    WIFSIGNALED(status) ? _("signal") : _("status"),
		    WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
}

int run_fork(struct server *srv)
{
	struct client *c;
	char why[64], how[400];
	int limit = bounds_children(srv->opt->max_clients, how, sizeof(how));
	pid_t pid;

	if (children_reap() == -1) {
		log_error(_("cannot install the SIGCHLD handler: %s"), strerror(errno));
		return 1;
	}
	log_note(_("at most %d children at once: %s"), limit, how);
	while (!stop_requested) {
		report_exited();
		/* Blocks in accept() until a client connects, or a child ends (EINTR). */
		c = server_accept(srv, srv->listen_fd);
		if (c == NULL)
			continue;
		if (children_live() >= limit) {
			clients_full_why(why, sizeof(why), limit);
			log_note(_("%d children are serving, the most at once: %s is refused "
			    "rather than start one process more"), children_live(), c->peer);
			client_turn_away(c, why);
			continue;
		}
		children_hold();	/* until the child is on the list */
		pid = fork();
		if (pid == 0)
			serve_in_child(srv, c);	/* the child never comes back */
		children_track(pid);
		if (pid == -1) {	/* no process for it: this client is lost, not us */
			log_error(_("cannot fork a child for %s: %s"), c->peer, strerror(errno));
			client_close(c);
			continue;
		}
		log_note(_("main hands %s to child pid %d and goes straight back to accept()"),
		    c->peer, (int)pid);
		close(c->fd);		/* parent: close our copy of the client's socket */
		client_forget(c);	/* the child serves it; the parent only forgets it */
	}
	server_stop(srv);
	if (children_live() > 0)
		log_note(ngettext("sending SIGTERM to the %d child still serving, and waiting for it",
		    "sending SIGTERM to the %d children still serving, and waiting for them",
		    children_live()), children_live());
	children_end();
	report_exited();
	return 0;
}
