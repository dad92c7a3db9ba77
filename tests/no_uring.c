/*
 * no_uring.c - run a command under a seccomp filter that refuses
 * io_uring_setup(), as a container's or a sandbox's filter may: the
 * tests' way to see 'netlab uring' refused, without touching the
 * machine-wide kernel.io_uring_disabled.
 *
 *   no_uring ERRNO COMMAND [ARGS...]    (ERRNO: EPERM or ENOSYS)
 *
 * The filter holds for COMMAND and its children only. Exit 127 if the
 * filter cannot be installed or COMMAND cannot run.
 */
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#if defined(__x86_64__)
#define THIS_ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define THIS_ARCH AUDIT_ARCH_AARCH64
#elif defined(__i386__)
#define THIS_ARCH AUDIT_ARCH_I386
#else
#error "no_uring: add this architecture's AUDIT_ARCH_ value"
#endif

int main(int argc, char **argv)
{
	int err = argc > 1 && strcmp(argv[1], "ENOSYS") == 0 ? ENOSYS : EPERM;
	struct sock_filter refuse[] = {
		/* Only this machine's own calls: another architecture's numbers differ. */
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, THIS_ARCH, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_io_uring_setup, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | (unsigned)err),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { sizeof(refuse) / sizeof(refuse[0]), refuse };

	if (argc < 3) {
		fprintf(stderr, "usage: no_uring EPERM|ENOSYS COMMAND [ARGS...]\n");
		return 127;
	}
	/* Without root, a filter may be installed only with no_new_privs set. */
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == -1 ||
	    prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) == -1) {
		perror("no_uring: seccomp");
		return 127;
	}
	execvp(argv[2], argv + 2);
	perror("no_uring: exec");
	return 127;
}
