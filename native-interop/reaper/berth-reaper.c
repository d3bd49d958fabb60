/*
 * berth-reaper: the tiny init of `berth run --init` / `docker run --init`, in the spirit of tini.
 *
 * It runs as PID 1 of the container (bind-mounted at /dev/init), starts the command as its child, forwards
 * every signal it receives to that child, reaps every zombie the container produces (orphans are re-parented
 * to PID 1), and exits with the command's status (128+signal when a signal ended it). A shell-form command
 * then stops at SIGTERM, because PID 1 of a pid namespace ignores signals it has no handler for, while the
 * reaper handles them all. It is static C because it runs on the container's files only (no host libc).
 *
 * usage: /dev/init -- COMMAND [ARG]...
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static int exit_status(int status)
{
    if (WIFEXITED(status))
        return WEXITSTATUS(status);
    if (WIFSIGNALED(status))
        return 128 + WTERMSIG(status);
    return 1;
}

static pid_t start_command(char **command, const sigset_t *original)
{
    pid_t pid = fork();
    if (pid < 0) {
        fprintf(stderr, "berth-reaper: fork: %s\n", strerror(errno));
        return -1;
    }
    if (pid > 0)
        return pid;
    /* Its own process group; in the foreground of the terminal, if there is one, so ^C reaches it. */
    setpgid(0, 0);
    if (isatty(STDIN_FILENO)) {
        signal(SIGTTOU, SIG_IGN);
        tcsetpgrp(STDIN_FILENO, getpgrp());
        signal(SIGTTOU, SIG_DFL);
    }
    sigprocmask(SIG_SETMASK, original, NULL);
    execvp(command[0], command);
    fprintf(stderr, "berth-reaper: exec %s: %s\n", command[0], strerror(errno));
    _exit(errno == ENOENT ? 127 : 126);
}

/* Reaps every exited child; returns 1 once the command itself has exited (its status in *status). */
static int reap(pid_t command, int *status)
{
    int done = 0, s;
    pid_t pid;
    while ((pid = waitpid(-1, &s, WNOHANG)) > 0)
        if (pid == command) {
            *status = s;
            done = 1;
        }
    return done;
}

int main(int argc, char **argv)
{
    int first = 1;
    if (argc > 1 && strcmp(argv[1], "--") == 0)
        first = 2;
    if (first >= argc) {
        fprintf(stderr, "usage: berth-reaper -- COMMAND [ARG]...\n");
        return 2;
    }

    sigset_t all, original;
    sigfillset(&all);
    sigprocmask(SIG_BLOCK, &all, &original);
    pid_t command = start_command(argv + first, &original);
    if (command < 0)
        return 1;

    int status = 0;
    for (;;) {
        siginfo_t info;
        int signal_number = sigwaitinfo(&all, &info);
        if (signal_number < 0)
            continue; /* EINTR */
        if (signal_number == SIGCHLD) {
            if (reap(command, &status))
                break;
        } else if (kill(command, signal_number) < 0 && errno != ESRCH) {
            fprintf(stderr, "berth-reaper: forwarding signal %d: %s\n", signal_number, strerror(errno));
        }
    }
    /* Whatever the command left behind is reaped as it exits; the kernel kills the rest with PID 1. */
    while (reap(-1, &(int){0}) || waitpid(-1, NULL, WNOHANG) > 0)
        ;
    return exit_status(status);
}
