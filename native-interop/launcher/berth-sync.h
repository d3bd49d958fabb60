/*
 * berth-sync.h: the child contract between berthd, berth-launcher and berth-init, C side.
 *
 * The C# side is src/Berth.InitSpec/ChildContract.cs (fds, exit codes) and SyncMessage.cs (the messages,
 * with the diagram of the exchange); tests/Berth.Engine.Tests/Processes/SyncHeaderTests.cs reads this
 * file and compares every #define below with its C# value, so change both or the test fails.
 *
 * A message is one SOCK_SEQPACKET datagram: a 32-bit type, a 32-bit value, then for an error its text
 * (UTF-8, not NUL-terminated, its length is the datagram's minus the header). Host byte order: both ends
 * run on the same machine. A console message carries the pty master as SCM_RIGHTS.
 */
#ifndef BERTH_SYNC_H
#define BERTH_SYNC_H

#include <stdint.h>

/* File descriptors of berth-launcher and of berth-init (0-2 are the container's stdio). */
#define BERTH_SYNC_FD 3      /* the SOCK_SEQPACKET socket to berthd */
#define BERTH_SPEC_FD 4      /* run: berth-init's spec (a memfd of JSON) */
#define BERTH_SECCOMP_FD 4   /* exec: the seccomp filter (a memfd of struct sock_filter[]), when given */

/* Message types. */
#define BERTH_SYNC_PID 1        /* launcher -> berthd: value = host pid of the cloned process; always first */
#define BERTH_SYNC_READY 2      /* init -> berthd: namespaces exist, spec read; berthd's steps may run */
#define BERTH_SYNC_CONTINUE 3   /* berthd -> init: berthd's steps are done; init may exec the command */
#define BERTH_SYNC_CONSOLE 4    /* init -> berthd: the pty master, as SCM_RIGHTS */
#define BERTH_SYNC_ERROR 5      /* launcher or init -> berthd: value = exit code, then the message */

#define BERTH_SYNC_HEADER_SIZE 8
#define BERTH_SYNC_MESSAGE_MAX 4096

/* Exit codes, as Docker reports them for a failed start. */
#define BERTH_EXIT_NOT_EXECUTABLE 126   /* the command exists but cannot be executed */
#define BERTH_EXIT_NOT_FOUND 127        /* the command was not found */
#define BERTH_EXIT_SETUP_FAILED 128     /* anything else before the command ran */

struct berth_sync_message {
    uint32_t type;
    int32_t value;
    char text[BERTH_SYNC_MESSAGE_MAX - BERTH_SYNC_HEADER_SIZE];
};

#endif
