/*
 * show_words.c - the words of show's picture, in the command line's
 * language: the page (show.c hands them to its script) and the SVG that
 * --record writes (show_svg.c) say the same thing with the same words.
 * A key names each one; the text is gettext's message.
 */
#include <string.h>

#include "i18n.h"
#include "show_words.h"

const struct show_word show_words[] = {
	{ "title", N_("netlab show") },
	{ "status_live", N_("Live: port {port}, pid {pid}: {command}") },
	{ "status_nobody", N_("Nobody listens on port {port} now: waiting for a server") },
	{ "status_ended", N_("The server has ended: this is its last picture") },
	{ "status_ended_status", N_("The server has ended (exit status {status}): this is its "
	    "last picture") },
	{ "status_lost", N_("Lost the connection to netlab show: is it still running?") },
	{ "browsers_one", N_("{n} browser watching") },
	{ "browsers_many", N_("{n} browsers watching") },
	{ "h-threads", N_("Threads and processes: what each one is doing") },
	{ "h-queue", N_("Accept queue") },
	{ "h-clients", N_("Clients, from connect to close") },
	{ "h-log", N_("The server's log") },
	{ "log_none", N_("The server's lines appear here only when show starts the server: "
	    "netlab show -- netlab sequential") },
	{ "queue_empty", N_("Empty: nobody is waiting to be accepted (backlog {backlog})") },
	{ "queue_some", N_("{n} of {backlog}: connected, but nobody has accept()ed them yet") },
	{ "queue_closed", N_("Nobody listens any more: a new client is refused") },
	{ "queue_more", N_("... and {n} more") },
	{ "unread", N_("{n} bytes unread") },
	{ "sent_nothing", N_("has sent nothing yet") },
	{ "seconds", N_("{s} s") },
	{ "gone", N_("ended") },
	{ "doing_on", N_("{doing} on {peer}") },
	{ "served_by", N_("served by {by}") },
	{ "now_served", N_("served by {by}") },
	{ "state_queued", N_("queued") },
	{ "state_waiting", N_("waiting") },
	{ "state_served", N_("served") },
	{ "state_closed", N_("closed") },
	{ "now_queued", N_("in the kernel's accept queue") },
	{ "now_queued_unread", N_("in the accept queue, {n} bytes unread") },
	{ "now_waiting", N_("accepted, waiting in the server's queue") },
	{ "now_closed", N_("closed") },
	{ "bytes", N_("sent {sent} B, got {got} B") },
	{ "threads_hidden", N_("and {n} more threads, not drawn: {counts}") },
	{ "clients_hidden", N_("and {n} more clients, not drawn: {counts}") },
	{ "legend_accept", N_("accept: waiting for a client") },
	{ "legend_recv", N_("recv: waiting for a client to speak") },
	{ "legend_send", N_("send: blocked, the client does not read") },
	{ "legend_wait", N_("select, poll, epoll_wait, io_uring: waiting for any socket") },
	{ "legend_lock", N_("lock: waiting for a lock") },
	{ "legend_sleep", N_("sleep") },
	{ "legend_running", N_("running: on a CPU") },
	{ "legend_other", N_("other system call") },
	{ "legend_queued", N_("queued: in the kernel's accept queue") },
	{ "legend_waiting", N_("waiting: accepted, in the server's own queue") },
	{ "legend_served", N_("served: a thread works for it") },
	{ "legend_closed", N_("closed") },
};

const size_t show_nwords = sizeof(show_words) / sizeof(show_words[0]);

const char *show_word(const char *key)
{
	for (size_t i = 0; i < show_nwords; i++)
		if (strcmp(show_words[i].key, key) == 0)
			return _(show_words[i].text);
	return NULL;
}
