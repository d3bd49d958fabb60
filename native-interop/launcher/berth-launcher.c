/*
 * berth-launcher: the fork point of Berth containers.
 *
 * berthd is a multi-threaded .NET process, so it never forks managed code and never changes its own
 * namespaces. It posix_spawns this small static program instead, which
 *   1. joins the container's cgroups (writes "0" into each cgroup.procs given with --cgroup),
 *   2. clones the container's first process into new namespaces, as a child of berthd (CLONE_PARENT),
 *   3. sends Pid to berthd and exits; the child execs PROGRAM (berth-init), which carries on the
 *      exchange with berthd (Ready, Continue, Console) on the same socket.
 *
 * The child contract (fd numbers, message layout, exit codes) is berth-sync.h; the exchange is drawn in
 * src/Berth.InitSpec/SyncMessage.cs. Every failure is one Error message (exit code and text) on
 * BERTH_SYNC_FD, which is not close-on-exec for berth-init and is close-on-exec for the user's command,
 * so berthd reads end-of-stream exactly when the command started.
 *
 * usage: berth-launcher run [--cgroup PROCS_FILE]... [--ns LIST] [--join-net NETNS_PATH] -- PROGRAM [ARG]...
 *   LIST is a comma-separated subset of mnt,pid,uts,ipc,net,cgroup (default: all of them).
 *
 * usage: berth-launcher exec --pid PID --last-cap N [--cgroup PROCS_FILE]... [--uid N] [--gid N]
 *                            [--groups N,N] [--caps HEX] [--no-new-privs] [--cwd DIR] [--tty]
 *                            [--seccomp] -- COMMAND [ARG]...
 *   `docker exec`: joins the cgroups and every namespace of the container whose first process is PID,
 *   clones the command's process (a child of berthd) into its pid namespace, and there sets the
 *   credentials and capabilities (N is the host's last capability, probed once by berthd) and execs
 *   COMMAND, found through the PATH of the launcher's own environment (berthd passes the exec's
 *   environment as the launcher's), after installing the seccomp filter (struct sock_filter[]) read from
 *   BERTH_SECCOMP_FD, as berth-init does for the container. This stage is C, not berth-init: after setns
 *   into the container's mount namespace only the container's files are visible, and a NativeAOT program
 *   needs the host's libc to start.
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
#include <sys/socket.h>
#include <sys/syscall.h>
#include <grp.h>
#include <linux/capability.h>
#include <sys/ioctl.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "berth-sync.h"

#define MAX_CGROUPS 32

/* One datagram to berthd; -1 with errno when it cannot be sent (berthd's timeout then reports the child). */
static int send_message(uint32_t type, int32_t value, const char *text)
{
    struct berth_sync_message message = { .type = type, .value = value };
    size_t length = text ? strnlen(text, sizeof message.text) : 0;
    memcpy(message.text, text ? text : "", length);
    ssize_t sent;
    while ((sent = send(BERTH_SYNC_FD, &message, BERTH_SYNC_HEADER_SIZE + length, MSG_NOSIGNAL)) < 0 && errno == EINTR)
        ;
    return sent < 0 ? -1 : 0;
}

static _Noreturn void fail(int code, const char *fmt, ...)
{
    char text[sizeof ((struct berth_sync_message *)0)->text];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    send_message(BERTH_SYNC_ERROR, code, text);
    _exit(code);
}

static void join_cgroup(const char *procs)
{
    int fd = open(procs, O_WRONLY | O_CLOEXEC);
    if (fd < 0)
        fail(BERTH_EXIT_SETUP_FAILED, "open `%s`: %s", procs, strerror(errno));
    if (write(fd, "0", 1) != 1)
        fail(BERTH_EXIT_SETUP_FAILED, "join cgroup `%s`: %s", procs, strerror(errno));
    close(fd);
}

/* setns(2) into the namespace file at PATH (/proc/PID/ns/net, a bind mount of one) of type NSTYPE. */
static void join_namespace(const char *path, int nstype)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        fail(1, "open namespace `%s`: %s", path, strerror(errno));
    if (setns(fd, nstype) != 0)
        fail(1, "setns `%s`: %s", path, strerror(errno));
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
            fail(BERTH_EXIT_SETUP_FAILED, "unknown namespace `%s`", name);
        flags |= known[i].flag;
    }
    free(copy);
    return flags;
}

/*
 * clone(2) without a new stack (it returns twice like fork, as crun's syscall_clone does), then Pid to
 * berthd before the child goes on, so Pid is always berthd's first message: the child waits for one byte
 * on a gate pipe that the parent writes once Pid is sent. Returns in the child only; the parent exits.
 */
static void clone_and_report(int flags)
{
    int gate[2];
    if (pipe2(gate, O_CLOEXEC) < 0)
        fail(BERTH_EXIT_SETUP_FAILED, "pipe2: %s", strerror(errno));
    pid_t pid = (pid_t)syscall(SYS_clone, (unsigned long)flags | SIGCHLD, NULL, NULL, NULL, 0);
    if (pid < 0)
        fail(BERTH_EXIT_SETUP_FAILED, "clone: %s", strerror(errno));
    if (pid == 0) {
        char byte;
        ssize_t n;
        close(gate[1]);
        while ((n = read(gate[0], &byte, 1)) < 0 && errno == EINTR)
            ;
        if (n != 1)
            _exit(BERTH_EXIT_SETUP_FAILED); /* the launcher died before Pid: berthd reports it */
        close(gate[0]);
        return;
    }
    close(gate[0]);
    if (send_message(BERTH_SYNC_PID, (int32_t)pid, NULL) < 0) {
        int error = errno;
        kill(pid, SIGKILL);
        fail(BERTH_EXIT_SETUP_FAILED, "send Pid: %s", strerror(error));
    }
    if (write(gate[1], "1", 1) != 1) {
        int error = errno;
        kill(pid, SIGKILL);
        fail(BERTH_EXIT_SETUP_FAILED, "open the gate of %d: %s", (int)pid, strerror(error));
    }
    _exit(0);
}

static _Noreturn void run(int argc, char **argv)
{
    const char *cgroups[MAX_CGROUPS];
    int ncgroups = 0;
    int nsflags = CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWNET | CLONE_NEWCGROUP;
    const char *join_net = NULL;
    int i;
    for (i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--") == 0) {
            i++;
            break;
        } else if (strcmp(argv[i], "--cgroup") == 0 && i + 1 < argc) {
            if (ncgroups == MAX_CGROUPS)
                fail(BERTH_EXIT_SETUP_FAILED, "too many --cgroup options");
            cgroups[ncgroups++] = argv[++i];
        } else if (strcmp(argv[i], "--ns") == 0 && i + 1 < argc) {
            nsflags = parse_namespaces(argv[++i]);
        } else if (strcmp(argv[i], "--join-net") == 0 && i + 1 < argc) {
            join_net = argv[++i];
        } else {
            fail(BERTH_EXIT_SETUP_FAILED, "unknown option `%s`", argv[i]);
        }
    }
    if (i >= argc)
        fail(BERTH_EXIT_SETUP_FAILED, "no program to run");
    char **program = argv + i;

    /* A network namespace berthd prepared (veth, addresses, routes already in it), or another container's or the
     * daemon's: the launcher joins it so the clone below inherits it instead of creating an empty one. */
    if (join_net != NULL) {
        join_namespace(join_net, CLONE_NEWNET);
        nsflags &= ~CLONE_NEWNET;
    }

    /* Join the cgroups first, so the clone below starts inside them and its cgroup namespace is rooted there. */
    for (int c = 0; c < ncgroups; c++)
        join_cgroup(cgroups[c]);

    clone_and_report(nsflags | CLONE_PARENT);
    execv(program[0], program);
    fail(errno == ENOENT ? BERTH_EXIT_NOT_FOUND : BERTH_EXIT_NOT_EXECUTABLE, "exec `%s`: %s", program[0], strerror(errno));
}

struct exec_options {
    int pid;
    const char *cgroups[MAX_CGROUPS];
    int ncgroups;
    uid_t uid;
    gid_t gid;
    gid_t groups[64];
    int ngroups;
    unsigned long long caps;
    int no_new_privs;
    int tty;
    int seccomp;
    int last_cap;
    const char *cwd;
    char **command;
};

static unsigned long long parse_number(const char *text, int base, const char *what)
{
    char *end;
    errno = 0;
    unsigned long long value = strtoull(text, &end, base);
    if (errno != 0 || *text == '\0' || *end != '\0')
        fail(BERTH_EXIT_SETUP_FAILED, "invalid %s `%s`", what, text);
    return value;
}

static void parse_groups(struct exec_options *o, const char *list)
{
    char *copy = strdup(list), *save = NULL;
    for (char *g = strtok_r(copy, ",", &save); g; g = strtok_r(NULL, ",", &save)) {
        if (o->ngroups == (int)(sizeof o->groups / sizeof o->groups[0]))
            fail(BERTH_EXIT_SETUP_FAILED, "too many groups");
        o->groups[o->ngroups++] = (gid_t)parse_number(g, 10, "group");
    }
    free(copy);
}

static void parse_exec_options(int argc, char **argv, struct exec_options *o)
{
    memset(o, 0, sizeof *o);
    o->cwd = "/";
    o->last_cap = -1;
    int i;
    for (i = 0; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--") == 0) {
            i++;
            break;
        } else if (strcmp(a, "--no-new-privs") == 0) {
            o->no_new_privs = 1;
        } else if (strcmp(a, "--tty") == 0) {
            o->tty = 1;
        } else if (strcmp(a, "--seccomp") == 0) {
            o->seccomp = 1;
        } else if (v == NULL) {
            fail(BERTH_EXIT_SETUP_FAILED, "option `%s` needs a value", a);
        } else if (strcmp(a, "--pid") == 0) {
            o->pid = (int)parse_number(v, 10, "pid"), i++;
        } else if (strcmp(a, "--cgroup") == 0) {
            if (o->ncgroups == MAX_CGROUPS)
                fail(BERTH_EXIT_SETUP_FAILED, "too many --cgroup options");
            o->cgroups[o->ncgroups++] = v, i++;
        } else if (strcmp(a, "--uid") == 0) {
            o->uid = (uid_t)parse_number(v, 10, "uid"), i++;
        } else if (strcmp(a, "--gid") == 0) {
            o->gid = (gid_t)parse_number(v, 10, "gid"), i++;
        } else if (strcmp(a, "--groups") == 0) {
            parse_groups(o, v), i++;
        } else if (strcmp(a, "--caps") == 0) {
            o->caps = parse_number(v, 16, "capability mask"), i++;
        } else if (strcmp(a, "--cwd") == 0) {
            o->cwd = v, i++;
        } else if (strcmp(a, "--last-cap") == 0) {
            o->last_cap = (int)parse_number(v, 10, "last capability"), i++;
        } else {
            fail(BERTH_EXIT_SETUP_FAILED, "unknown option `%s`", a);
        }
    }
    if (o->pid <= 0)
        fail(BERTH_EXIT_SETUP_FAILED, "exec needs --pid");
    if (o->last_cap < 0 || o->last_cap > 63)
        fail(BERTH_EXIT_SETUP_FAILED, "exec needs --last-cap between 0 and 63");
    if (i >= argc)
        fail(BERTH_EXIT_SETUP_FAILED, "no command to run");
    o->command = argv + i;
}

/* Installs the filter while the process still has CAP_SYS_ADMIN (no no_new_privs needed), as berth-init does. */
static void apply_seccomp(void)
{
    const int fd = BERTH_SECCOMP_FD;
    struct stat st;
    if (fstat(fd, &st) < 0 || st.st_size <= 0 || st.st_size % sizeof(struct sock_filter) != 0 || st.st_size > 65536)
        fail(BERTH_EXIT_NOT_EXECUTABLE, "seccomp filter on fd %d: bad size", fd);
    static struct sock_filter filter[65536 / sizeof(struct sock_filter)];
    if (pread(fd, filter, st.st_size, 0) != st.st_size)
        fail(BERTH_EXIT_NOT_EXECUTABLE, "read seccomp filter: %s", strerror(errno));
    close(fd);
    struct sock_fprog program = { (unsigned short)(st.st_size / sizeof(struct sock_filter)), filter };
    if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &program, 0, 0) < 0)
        fail(BERTH_EXIT_NOT_EXECUTABLE, "prctl PR_SET_SECCOMP: %s", strerror(errno));
}

/* The container's credentials, in runc's order: bounding set while privileged, ids, then capability sets. */
static void set_credentials(const struct exec_options *o)
{
    for (int cap = 0; cap <= o->last_cap; cap++)
        if (!(o->caps & (1ULL << cap)) && prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0)
            fail(BERTH_EXIT_NOT_EXECUTABLE, "prctl PR_CAPBSET_DROP %d: %s", cap, strerror(errno));
    if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0)
        fail(BERTH_EXIT_NOT_EXECUTABLE, "prctl PR_CAP_AMBIENT_CLEAR_ALL: %s", strerror(errno));
    if (setgroups(o->ngroups, o->groups) < 0)
        fail(BERTH_EXIT_NOT_EXECUTABLE, "setgroups: %s", strerror(errno));
    if (setresgid(o->gid, o->gid, o->gid) < 0)
        fail(BERTH_EXIT_NOT_EXECUTABLE, "setgid %u: %s", (unsigned)o->gid, strerror(errno));
    if (setresuid(o->uid, o->uid, o->uid) < 0)
        fail(BERTH_EXIT_NOT_EXECUTABLE, "setuid %u: %s", (unsigned)o->uid, strerror(errno));
    unsigned long long effective = o->uid == 0 ? o->caps : 0;
    struct __user_cap_header_struct header = { _LINUX_CAPABILITY_VERSION_3, 0 };
    struct __user_cap_data_struct data[2] = {
        { (unsigned)effective, (unsigned)effective, 0 },
        { (unsigned)(effective >> 32), (unsigned)(effective >> 32), 0 },
    };
    if (syscall(SYS_capset, &header, data) < 0)
        fail(BERTH_EXIT_NOT_EXECUTABLE, "capset: %s", strerror(errno));
    if (o->no_new_privs && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
        fail(BERTH_EXIT_NOT_EXECUTABLE, "prctl PR_SET_NO_NEW_PRIVS: %s", strerror(errno));
}

static _Noreturn void exec_command(const struct exec_options *o)
{
    const char *command = o->command[0];
    if (o->tty) {
        if (setsid() < 0)
            fail(BERTH_EXIT_NOT_EXECUTABLE, "setsid: %s", strerror(errno));
        if (ioctl(0, TIOCSCTTY, 0) < 0)
            fail(BERTH_EXIT_NOT_EXECUTABLE, "ioctl TIOCSCTTY: %s", strerror(errno));
    }
    if (chdir(o->cwd) < 0)
        fail(BERTH_EXIT_NOT_EXECUTABLE, "chdir to cwd (\"%s\") set in config.json failed: %s", o->cwd, strerror(errno));
    if (o->seccomp)
        apply_seccomp();
    set_credentials(o);
    if (fcntl(BERTH_SYNC_FD, F_SETFD, FD_CLOEXEC) < 0)
        fail(BERTH_EXIT_SETUP_FAILED, "fcntl FD_CLOEXEC on the sync socket: %s", strerror(errno));
    execvp(command, o->command);
    int error = errno;
    if (error == ENOENT && strchr(command, '/') == NULL)
        fail(BERTH_EXIT_NOT_FOUND, "exec: \"%s\": executable file not found in $PATH", command);
    if (error == ENOENT)
        fail(BERTH_EXIT_NOT_FOUND, "exec: \"%s\": stat %s: no such file or directory", command, command);
    fail(BERTH_EXIT_NOT_EXECUTABLE, "exec: \"%s\": %s", command, strerror(error));
}

static _Noreturn void exec_in_container(int argc, char **argv)
{
    struct exec_options o;
    parse_exec_options(argc, argv, &o);
    int pidfd = (int)syscall(SYS_pidfd_open, o.pid, 0);
    if (pidfd < 0)
        fail(BERTH_EXIT_SETUP_FAILED, "pidfd_open %d: %s", o.pid, strerror(errno));
    /* cgroup.procs are host paths: join before the container's mount namespace hides them. */
    for (int c = 0; c < o.ncgroups; c++)
        join_cgroup(o.cgroups[c]);
    int nsflags = CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWNET | CLONE_NEWCGROUP;
    if (setns(pidfd, nsflags) < 0)
        fail(BERTH_EXIT_SETUP_FAILED, "setns into the namespaces of %d: %s", o.pid, strerror(errno));
    close(pidfd);

    clone_and_report(CLONE_PARENT);
    exec_command(&o);
}

int main(int argc, char **argv)
{
    int type;
    socklen_t length = sizeof type;
    if (getsockopt(BERTH_SYNC_FD, SOL_SOCKET, SO_TYPE, &type, &length) < 0 || type != SOCK_SEQPACKET) {
        fprintf(stderr, "berth-launcher: fd %d must be berthd's sync socket; this program is started by berthd\n", BERTH_SYNC_FD);
        return 2;
    }
    if (argc >= 2 && strcmp(argv[1], "run") == 0)
        run(argc - 2, argv + 2);
    if (argc >= 2 && strcmp(argv[1], "exec") == 0)
        exec_in_container(argc - 2, argv + 2);
    fail(BERTH_EXIT_SETUP_FAILED, "usage: berth-launcher run|exec [OPTIONS] -- PROGRAM [ARG]...");
}
