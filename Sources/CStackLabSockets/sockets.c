#ifdef __linux__
#define _GNU_SOURCE
#include "CStackLabSockets.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/prctl.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

const uint32_t SL_READABLE = EPOLLIN;
const uint32_t SL_WRITABLE = EPOLLOUT;
const uint32_t SL_HANGUP = EPOLLHUP | EPOLLERR | EPOLLRDHUP;

static int64_t read_clock(clockid_t clock) {
    struct timespec now;
    clock_gettime(clock, &now);
    return (int64_t)now.tv_sec * 1000000000 + now.tv_nsec;
}

int64_t sl_monotonic_ns(void) { return read_clock(CLOCK_MONOTONIC); }
int64_t sl_realtime_ns(void) { return read_clock(CLOCK_REALTIME); }

void sl_set_timer_slack(unsigned long nanoseconds) { prctl(PR_SET_TIMERSLACK, nanoseconds, 0, 0, 0); }

int sl_connect(const struct sockaddr *address, socklen_t length, int *pending) {
    int fd = socket(address->sa_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_TCP);
    if (fd < 0) return -errno;
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &one, sizeof one);
    *pending = 0;
    if (connect(fd, address, length) != 0) {
        if (errno != EINPROGRESS) {
            int error = errno;
            close(fd);
            return -error;
        }
        *pending = 1;
    }
    return fd;
}

int sl_socket_error(int fd) {
    int error = 0;
    socklen_t length = sizeof error;
    if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length) != 0) return errno;
    return error;
}

ssize_t sl_send(int fd, const void *bytes, size_t count) {
    ssize_t sent = send(fd, bytes, count, MSG_NOSIGNAL | MSG_DONTWAIT);
    return sent < 0 ? -errno : sent;
}

ssize_t sl_receive(int fd, void *buffer, size_t capacity, int64_t *stamp_ns) {
    struct iovec vector = {.iov_base = buffer, .iov_len = capacity};
    union {
        char bytes[CMSG_SPACE(sizeof(struct timespec))];
        struct cmsghdr align;
    } control;
    struct msghdr message = {
        .msg_iov = &vector, .msg_iovlen = 1, .msg_control = control.bytes, .msg_controllen = sizeof control.bytes};
    ssize_t received = recvmsg(fd, &message, MSG_DONTWAIT);
    *stamp_ns = 0;
    if (received < 0) return -errno;
    for (struct cmsghdr *header = CMSG_FIRSTHDR(&message); header; header = CMSG_NXTHDR(&message, header)) {
        if (header->cmsg_level == SOL_SOCKET && header->cmsg_type == SCM_TIMESTAMPNS) {
            struct timespec stamp;
            memcpy(&stamp, CMSG_DATA(header), sizeof stamp);
            *stamp_ns = (int64_t)stamp.tv_sec * 1000000000 + stamp.tv_nsec;
        }
    }
    return received;
}

int sl_close(int fd) { return close(fd); }

int sl_epoll_create(void) {
    int fd = epoll_create1(EPOLL_CLOEXEC);
    return fd < 0 ? -errno : fd;
}

int sl_epoll_control(int epoll_fd, int op, int fd, uint32_t events, uint64_t token) {
    struct epoll_event event = {.events = events, .data.u64 = token};
    int command = op == 1 ? EPOLL_CTL_ADD : EPOLL_CTL_MOD;
    return epoll_ctl(epoll_fd, command, fd, &event) == 0 ? 0 : -errno;
}

int sl_epoll_wait(int epoll_fd, sl_event *events, int capacity, int64_t timeout_ns) {
    struct epoll_event ready[64];
    if (capacity > 64) capacity = 64;
    int count;
    if (timeout_ns < 0) {
        count = epoll_wait(epoll_fd, ready, capacity, -1);
    } else {
        struct timespec timeout = {.tv_sec = timeout_ns / 1000000000, .tv_nsec = timeout_ns % 1000000000};
        count = epoll_pwait2(epoll_fd, ready, capacity, &timeout, NULL);
        if (count < 0 && errno == ENOSYS) {
            // Kernels before 5.11: millisecond precision, rounded up so that a wait is never cut short.
            count = epoll_wait(epoll_fd, ready, capacity, (int)((timeout_ns + 999999) / 1000000));
        }
    }
    if (count < 0) return errno == EINTR ? 0 : -errno;
    for (int index = 0; index < count; index++) {
        events[index].events = ready[index].events;
        events[index].token = ready[index].data.u64;
    }
    return count;
}

int sl_eventfd(void) {
    int fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    return fd < 0 ? -errno : fd;
}

void sl_eventfd_signal(int fd) {
    uint64_t one = 1;
    ssize_t written = write(fd, &one, sizeof one);
    (void)written;
}

void sl_eventfd_drain(int fd) {
    uint64_t count;
    ssize_t got = read(fd, &count, sizeof count);
    (void)got;
}
#endif
