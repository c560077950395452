// Thin wrappers over the Linux socket, epoll and eventfd calls the load engine's plain-HTTP worker makes
// directly: the macros (CMSG_*) and packed structs (epoll_event) that Swift cannot import, and errno
// returned as a negative value so that no call site reads a thread-local.
#ifndef CSTACKLAB_SOCKETS_H
#define CSTACKLAB_SOCKETS_H

#include <stdint.h>
#include <sys/types.h>
#include <sys/socket.h>

/// One readiness event: the epoll flags and the number the socket was registered with.
typedef struct {
    uint32_t events;
    uint64_t token;
} sl_event;

extern const uint32_t SL_READABLE;
extern const uint32_t SL_WRITABLE;
/// The peer hung up or the socket failed: read it to find out how.
extern const uint32_t SL_HANGUP;

int64_t sl_monotonic_ns(void);
int64_t sl_realtime_ns(void);
/// Sets how late the calling thread's timers may fire, in nanoseconds (Linux's default is 50 µs).
void sl_set_timer_slack(unsigned long nanoseconds);

/// A non-blocking TCP socket with TCP_NODELAY and kernel receive timestamps, connecting to `address`.
/// Returns the descriptor, or -errno. `*pending` is 1 while the connection is still being set up.
int sl_connect(const struct sockaddr *address, socklen_t length, int *pending);
/// The socket's pending error (SO_ERROR): 0 once a non-blocking connect has succeeded.
int sl_socket_error(int fd);
/// Sends without SIGPIPE; returns bytes written or -errno.
ssize_t sl_send(int fd, const void *bytes, size_t count);
/// Receives into `buffer`; returns bytes read, 0 at end of stream, or -errno. `*stamp_ns` is the kernel's
/// receive time of the last segment read (CLOCK_REALTIME), or 0 when the kernel gave none.
ssize_t sl_receive(int fd, void *buffer, size_t capacity, int64_t *stamp_ns);
int sl_close(int fd);

int sl_epoll_create(void);
/// Adds (`op` 1) a descriptor or changes (2) what it is watched for; returns 0 or -errno. Closing a
/// descriptor removes it.
int sl_epoll_control(int epoll_fd, int op, int fd, uint32_t events, uint64_t token);
/// Waits at most `timeout_ns` (negative: forever) with nanosecond precision; returns events or -errno.
int sl_epoll_wait(int epoll_fd, sl_event *events, int capacity, int64_t timeout_ns);

int sl_eventfd(void);
void sl_eventfd_signal(int fd);
void sl_eventfd_drain(int fd);

#endif
