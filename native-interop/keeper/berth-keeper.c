/*
 * berth-keeper: what lets containers outlive berthd (live restore). One per data root, not one per container.
 *
 * berthd asks it to spawn berth-launcher, so every container's first process (cloned with CLONE_PARENT) is the
 * keeper's child, not berthd's: when berthd stops or is killed the containers keep their parent, and the keeper
 * reaps them and keeps their real exit status until a berthd asks for it. It also holds a copy of each container's
 * output pipes (read ends) or pty master, so a container's writes never meet a closed pipe (SIGPIPE) or a hung-up
 * terminal (SIGHUP) while no berthd runs: its output waits in the pipe buffer, and the next berthd fetches the fds
 * and drains them into the log. The keeper never reads them itself.
 *
 * usage: berth-keeper SOCKET   (berthd starts it; it binds SOCKET, detaches and serves one berthd at a time)
 *
 * Requests, one SOCK_SEQPACKET datagram each, fields separated by NUL; every request gets one reply:
 *   spawn PATH ARG... "" ENV...  + fds (SCM_RIGHTS, become 0..n-1)   -> "pid N" | "error TEXT"  (PATH is argv[0] too)
 *   hold ID PID ROLE...          + one fd per ROLE                    -> "ok" | "error TEXT"
 *   fetch ID                                                          -> "fds ROLE..." + the fds | "none"
 *   status ID                                                         -> "running" | "exited CODE" | "unknown"
 *   drop ID                                                           -> "ok"
 * It exits once no berthd is connected, it holds nothing and it has no child left.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_FDS 8
#define MAX_HELD 4096
#define MAX_UNCLAIMED 256
#define MESSAGE_SIZE 65536
#define ID_SIZE 72
#define ROLE_SIZE 8

/* A container: its pid, its exit status once reaped (-1 while it runs) and the fds held for it. */
struct held {
    char id[ID_SIZE];
    pid_t pid;
    int status;
    int fds[MAX_FDS];
    char roles[MAX_FDS][ROLE_SIZE];
    int count;
    int used;
};

/* Exits of children no hold names yet (a container that ended between its clone and berthd's hold, or a launcher). */
struct unclaimed { pid_t pid; int status; };

static struct held held[MAX_HELD];
/* One past the highest slot ever used: the loops stop there, so the pages of the table beyond it are never touched
 * (its memory grows with the containers actually kept, about 180 bytes each). */
static int top;
static struct unclaimed unclaimed[MAX_UNCLAIMED];
static int next_unclaimed;

static int exit_code(int status)
{
    if (WIFEXITED(status))
        return WEXITSTATUS(status);
    if (WIFSIGNALED(status))
        return 128 + WTERMSIG(status);
    return 255;
}

static struct held *find(const char *id)
{
    for (int i = 0; i < top; i++)
        if (held[i].used && strcmp(held[i].id, id) == 0)
            return &held[i];
    return NULL;
}

static void reap_all(void)
{
    int status;
    pid_t pid;
    while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
        int claimed = 0;
        for (int i = 0; i < top && !claimed; i++)
            if (held[i].used && held[i].pid == pid && held[i].status < 0) {
                held[i].status = status;
                claimed = 1;
            }
        if (!claimed) {
            unclaimed[next_unclaimed] = (struct unclaimed){ pid, status };
            next_unclaimed = (next_unclaimed + 1) % MAX_UNCLAIMED;
        }
    }
}

static int has_children(void)
{
    siginfo_t info;
    memset(&info, 0, sizeof info);
    return waitid(P_ALL, 0, &info, WEXITED | WNOHANG | WNOWAIT) == 0;
}

static int holds_anything(void)
{
    for (int i = 0; i < top; i++)
        if (held[i].used)
            return 1;
    return 0;
}

static void reply(int client, const char *text, size_t length, const int *fds, int count)
{
    struct iovec iov = { (void *)text, length };
    char control[CMSG_SPACE(sizeof(int) * MAX_FDS)];
    struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
    if (count > 0) {
        memset(control, 0, sizeof control);
        msg.msg_control = control;
        msg.msg_controllen = CMSG_SPACE(sizeof(int) * count);
        struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
        c->cmsg_level = SOL_SOCKET;
        c->cmsg_type = SCM_RIGHTS;
        c->cmsg_len = CMSG_LEN(sizeof(int) * count);
        memcpy(CMSG_DATA(c), fds, sizeof(int) * count);
    }
    while (sendmsg(client, &msg, MSG_NOSIGNAL) < 0 && errno == EINTR)
        ;
}

static void reply_text(int client, const char *text)
{
    reply(client, text, strlen(text), NULL, 0);
}

static void close_all(int *fds, int count)
{
    for (int i = 0; i < count; i++)
        close(fds[i]);
}

static void drop(const char *id)
{
    struct held *h = find(id);
    if (h) {
        close_all(h->fds, h->count);
        memset(h, 0, sizeof *h);
    }
}

/* Fields after the verb: PATH, ARG..., "", ENV... The child gets the fds as 0..n-1 and nothing else. */
static void spawn(int client, char *fields, char *end, int *fds, int count)
{
    static char *argv[1024], *envp[1024];
    int argc = 0, envc = 0, in_env = 0;
    char *path = fields;
    for (char *p = fields; p < end; p += strlen(p) + 1) {
        if (!in_env && *p == '\0')
            in_env = 1;
        else if (!in_env && argc < 1023)
            argv[argc++] = p;
        else if (in_env && *p != '\0' && envc < 1023)
            envp[envc++] = p;
    }
    argv[argc] = NULL;
    envp[envc] = NULL;
    if (argc == 0) {
        reply_text(client, "error spawn needs a program");
        return;
    }
    pid_t pid = fork();
    if (pid < 0) {
        char text[128];
        snprintf(text, sizeof text, "error fork: %s", strerror(errno));
        reply_text(client, text);
        return;
    }
    if (pid == 0) {
        sigset_t none;
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, NULL);
        signal(SIGPIPE, SIG_DFL);
        /* Move the fds above the targets first, then down to 0..count-1 (dup2 clears close-on-exec). */
        int high[MAX_FDS];
        for (int i = 0; i < count; i++)
            if ((high[i] = fcntl(fds[i], F_DUPFD_CLOEXEC, 64)) < 0)
                _exit(125);
        for (int i = 0; i < count; i++)
            if (dup2(high[i], i) < 0)
                _exit(125);
        closefrom(count);
        execve(path, argv, envp);
        _exit(127);
    }
    char text[32];
    snprintf(text, sizeof text, "pid %d", (int)pid);
    reply_text(client, text);
}

/* Fields after the verb: ID, PID, ROLE... with one fd per role. */
static void hold(int client, char *fields, char *end, int *fds, int count)
{
    char *id = fields;
    char *pid_text = id + strlen(id) + 1;
    if (pid_text >= end || strlen(id) == 0 || strlen(id) >= ID_SIZE) {
        close_all(fds, count);
        reply_text(client, "error hold needs ID PID");
        return;
    }
    drop(id);
    struct held *slot = NULL;
    for (int i = 0; i < MAX_HELD && !slot; i++)
        if (!held[i].used) {
            slot = &held[i];
            if (i >= top)
                top = i + 1;
        }
    if (!slot) {
        close_all(fds, count);
        reply_text(client, "error the keeper is full");
        return;
    }
    memset(slot, 0, sizeof *slot);
    strcpy(slot->id, id);
    slot->used = 1;
    slot->pid = (pid_t)atoi(pid_text);
    slot->status = -1;
    int roles = 0;
    for (char *p = pid_text + strlen(pid_text) + 1; p < end && roles < count; p += strlen(p) + 1) {
        snprintf(slot->roles[roles], ROLE_SIZE, "%s", p);
        slot->fds[roles] = fds[roles];
        roles++;
    }
    close_all(fds + roles, count - roles);
    slot->count = roles;
    /* It may have ended before the hold: its exit waits among the unclaimed ones (newest first). */
    reap_all();
    for (int i = 1; i <= MAX_UNCLAIMED; i++) {
        struct unclaimed *u = &unclaimed[(next_unclaimed - i + MAX_UNCLAIMED) % MAX_UNCLAIMED];
        if (u->pid == slot->pid && slot->pid > 0) {
            slot->status = u->status;
            u->pid = 0;
            break;
        }
    }
    reply_text(client, "ok");
}

static void fetch(int client, const char *id)
{
    struct held *h = find(id);
    if (!h || h->count == 0) {
        reply_text(client, "none");
        return;
    }
    char text[8 + MAX_FDS * ROLE_SIZE];
    size_t length = 0;
    memcpy(text, "fds", 4);
    length = 4;
    for (int i = 0; i < h->count; i++) {
        size_t n = strlen(h->roles[i]) + 1;
        memcpy(text + length, h->roles[i], n);
        length += n;
    }
    reply(client, text, length - 1, h->fds, h->count);
}

static void status(int client, const char *id)
{
    reap_all();
    struct held *h = find(id);
    char text[32] = "unknown";
    if (h && h->status < 0)
        strcpy(text, "running");
    else if (h)
        snprintf(text, sizeof text, "exited %d", exit_code(h->status));
    reply_text(client, text);
}

/* One request; returns -1 when the client has gone. */
static int handle(int client)
{
    static char buffer[MESSAGE_SIZE + 1];
    char control[CMSG_SPACE(sizeof(int) * MAX_FDS)];
    struct iovec iov = { buffer, MESSAGE_SIZE };
    struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = control, .msg_controllen = sizeof control };
    ssize_t n;
    while ((n = recvmsg(client, &msg, MSG_CMSG_CLOEXEC)) < 0 && errno == EINTR)
        ;
    if (n <= 0)
        return -1;
    buffer[n] = '\0';
    int fds[MAX_FDS], count = 0;
    for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c))
        if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS) {
            int k = (int)((c->cmsg_len - CMSG_LEN(0)) / sizeof(int));
            for (int i = 0; i < k; i++) {
                int fd;
                memcpy(&fd, CMSG_DATA(c) + i * sizeof(int), sizeof(int));
                if (count < MAX_FDS)
                    fds[count++] = fd;
                else
                    close(fd);
            }
        }
    char *end = buffer + n;
    char *verb = buffer, *arg = buffer + strlen(buffer) + 1;
    if (arg > end)
        arg = end;
    if (strcmp(verb, "spawn") == 0) {
        spawn(client, arg, end, fds, count);
        close_all(fds, count);
    } else if (strcmp(verb, "hold") == 0) {
        hold(client, arg, end, fds, count);
    } else {
        close_all(fds, count);
        if (strcmp(verb, "fetch") == 0)
            fetch(client, arg);
        else if (strcmp(verb, "status") == 0)
            status(client, arg);
        else if (strcmp(verb, "drop") == 0)
            drop(arg), reply_text(client, "ok");
        else
            reply_text(client, "error unknown request");
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc != 2 || strlen(argv[1]) >= sizeof ((struct sockaddr_un *)0)->sun_path) {
        fprintf(stderr, "usage: berth-keeper SOCKET\n");
        return 2;
    }
    /* One keeper per socket: the lock lives as long as this process (and its fork below). */
    char lock_path[4096];
    snprintf(lock_path, sizeof lock_path, "%s.lock", argv[1]);
    int lock = open(lock_path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (lock < 0 || flock(lock, LOCK_EX | LOCK_NB) < 0) {
        fprintf(stderr, "berth-keeper: %s is held by another keeper\n", lock_path);
        return 3;
    }
    int listener = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
    struct sockaddr_un address = { .sun_family = AF_UNIX };
    strcpy(address.sun_path, argv[1]);
    unlink(argv[1]);
    if (listener < 0 || bind(listener, (struct sockaddr *)&address, sizeof address) < 0 || listen(listener, 8) < 0) {
        fprintf(stderr, "berth-keeper: listen on %s: %s\n", argv[1], strerror(errno));
        return 1;
    }
    chmod(argv[1], 0600);
    /* Detach: berthd reaps this first process at once; the keeper goes on in a session of its own, so neither a
     * signal to berthd's process group nor the end of its session reaches it. */
    pid_t pid = fork();
    if (pid < 0)
        return 1;
    if (pid > 0)
        _exit(0);
    setsid();
    int null = open("/dev/null", O_RDWR | O_CLOEXEC);
    if (null >= 0) {
        dup2(null, 0), dup2(null, 1), dup2(null, 2);
        close(null);
    }
    signal(SIGPIPE, SIG_IGN);
    signal(SIGHUP, SIG_IGN);
    sigset_t mask;
    sigemptyset(&mask);
    sigaddset(&mask, SIGCHLD);
    sigprocmask(SIG_BLOCK, &mask, NULL);
    int sigfd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
    int client = -1;
    for (;;) {
        struct pollfd fds[3] = { { listener, POLLIN, 0 }, { sigfd, POLLIN, 0 }, { client, POLLIN, 0 } };
        if (poll(fds, client >= 0 ? 3 : 2, -1) < 0 && errno != EINTR)
            return 1;
        if (fds[1].revents & POLLIN) {
            struct signalfd_siginfo info;
            while (read(sigfd, &info, sizeof info) > 0)
                ;
            reap_all();
        }
        if (client >= 0 && (fds[2].revents & (POLLIN | POLLHUP | POLLERR)) && handle(client) < 0) {
            close(client);
            client = -1;
        }
        if (fds[0].revents & POLLIN) {
            int accepted = accept4(listener, NULL, NULL, SOCK_CLOEXEC);
            if (accepted >= 0) {
                if (client >= 0)
                    close(client); /* a new berthd: the old one is gone */
                client = accepted;
            }
        }
        /* Nothing to keep for anyone: no berthd, no container, no held fd. The socket goes first, so a berthd that
         * connects from now on starts a new keeper instead of reaching this one. */
        if (client < 0 && !holds_anything() && !has_children()) {
            unlink(argv[1]);
            return 0;
        }
    }
}
