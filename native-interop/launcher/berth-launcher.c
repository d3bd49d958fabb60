/*
 * berth-launcher: the fork point of Berth containers.
 *
 * berthd is a multi-threaded .NET process, so it never forks managed code and never changes its own
 * namespaces. It posix_spawns this small static program instead, which
 *   1. joins the container's cgroups (writes "0" into each cgroup.procs given with --cgroup),
 *   2. clones the container's first process into new namespaces, as a child of berthd (CLONE_PARENT),
 *   3. reports "pid <n>" on the report fd and exits; the child execs PROGRAM (berth-init).
 *
 * File descriptors: 0-2 are the container's stdio, 3 is the report pipe (write end), 4 and up are
 * passed through untouched (berth-init reads its spec from fd 4). Errors are reported as one line
 * "error <exit code> <message>" on fd 3, in the style of dotnet/runtime's pal_process.c which
 * reports exec failures through a CLOEXEC pipe. berth-init closes fd 3 (CLOEXEC) when it execs the
 * user's command, so berthd reads end-of-file exactly when the command started.
 *
 * usage: berth-launcher run [--cgroup PROCS_FILE]... [--ns LIST] -- PROGRAM [ARG]...
 *   LIST is a comma-separated subset of mnt,pid,uts,ipc,net,cgroup (default: all of them).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#define REPORT_FD 3
#define MAX_CGROUPS 32

static void report(const char *fmt, ...)
{
    char line[4096];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(line, sizeof line - 1, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if (n > (int)sizeof line - 2)
        n = sizeof line - 2;
    line[n++] = '\n';
    for (int off = 0; off < n;) {
        ssize_t w = write(REPORT_FD, line + off, n - off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return;
        off += w;
    }
}

static _Noreturn void fail(int code, const char *fmt, ...)
{
    char message[3072];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(message, sizeof message, fmt, ap);
    va_end(ap);
    report("error %d %s", code, message);
    _exit(code);
}

static void join_cgroup(const char *procs)
{
    int fd = open(procs, O_WRONLY | O_CLOEXEC);
    if (fd < 0)
        fail(1, "open `%s`: %s", procs, strerror(errno));
    if (write(fd, "0", 1) != 1)
        fail(1, "join cgroup `%s`: %s", procs, strerror(errno));
    close(fd);
}

static int parse_namespaces(const char *list)
{
    static const struct { const char *name; int flag; } known[] = {
        { "mnt", CLONE_NEWNS }, { "pid", CLONE_NEWPID }, { "uts", CLONE_NEWUTS },
        { "ipc", CLONE_NEWIPC }, { "net", CLONE_NEWNET }, { "cgroup", CLONE_NEWCGROUP },
    };
    int flags = 0;
    char *copy = strdup(list), *save = NULL;
    for (char *name = strtok_r(copy, ",", &save); name; name = strtok_r(NULL, ",", &save)) {
        size_t i;
        for (i = 0; i < sizeof known / sizeof known[0]; i++)
            if (strcmp(name, known[i].name) == 0)
                break;
        if (i == sizeof known / sizeof known[0])
            fail(1, "unknown namespace `%s`", name);
        flags |= known[i].flag;
    }
    free(copy);
    return flags;
}

/* clone(2) without a new stack: returns twice like fork, as crun's syscall_clone does. */
static pid_t clone_process(int flags)
{
    return (pid_t)syscall(SYS_clone, (unsigned long)flags | SIGCHLD, NULL, NULL, NULL, 0);
}

static int run(int argc, char **argv)
{
    const char *cgroups[MAX_CGROUPS];
    int ncgroups = 0;
    int nsflags = CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWNET | CLONE_NEWCGROUP;
    int i;
    for (i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--") == 0) {
            i++;
            break;
        } else if (strcmp(argv[i], "--cgroup") == 0 && i + 1 < argc) {
            if (ncgroups == MAX_CGROUPS)
                fail(1, "too many --cgroup options");
            cgroups[ncgroups++] = argv[++i];
        } else if (strcmp(argv[i], "--ns") == 0 && i + 1 < argc) {
            nsflags = parse_namespaces(argv[++i]);
        } else {
            fail(1, "unknown option `%s`", argv[i]);
        }
    }
    if (i >= argc)
        fail(1, "no program to run");
    char **program = argv + i;

    /* Join the cgroups first, so the clone below starts inside them and its cgroup namespace is rooted there. */
    for (int c = 0; c < ncgroups; c++)
        join_cgroup(cgroups[c]);

    pid_t pid = clone_process(nsflags | CLONE_PARENT);
    if (pid < 0)
        fail(1, "clone: %s", strerror(errno));
    if (pid == 0) {
        execv(program[0], program);
        fail(errno == ENOENT ? 127 : 126, "exec `%s`: %s", program[0], strerror(errno));
    }
    report("pid %d", (int)pid);
    return 0;
}

int main(int argc, char **argv)
{
    if (fcntl(REPORT_FD, F_GETFD) < 0) {
        fprintf(stderr, "berth-launcher: fd %d must be the report pipe; this program is started by berthd\n", REPORT_FD);
        return 2;
    }
    if (argc >= 2 && strcmp(argv[1], "run") == 0)
        return run(argc - 2, argv + 2);
    fail(2, "usage: berth-launcher run [--cgroup PROCS]... [--ns LIST] -- PROGRAM [ARG]...");
}
