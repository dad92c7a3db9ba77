/*
 * spawn.h - the one way the lab runner starts a process: the server, the
 * auto player's nc terminals, the run: commands.
 */
#ifndef NETLAB_LAB_SPAWN_H
#define NETLAB_LAB_SPAWN_H

#include <sys/types.h>

/*
 * Run the program at path with argv, in a process group of its own (kill(-pid)
 * ends it and whatever it starts), ended too if the runner dies. Its stdout
 * and stderr go to a pipe, *out_fd; its stdin is a pipe, *in_fd, or
 * /dev/null when in_fd is NULL. Returns the pid, or -1.
 */
pid_t spawn(const char *path, char *const argv[], int *in_fd, int *out_fd);

/* The same for a shell command line: /bin/sh -c command. */
pid_t spawn_shell(const char *command, int *in_fd, int *out_fd);

#endif
