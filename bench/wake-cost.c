// What one sleep and wake-up costs the client on this machine, without StackLab in the way.
//
// A minimal open-loop HTTP client: CONNECTIONS keep-alive connections to 127.0.0.1:PORT, RATE requests/s
// for SECONDS, waking at most once per SLACK_US (0: at every request's due time) and reading the replies
// that have arrived at each wake-up, timed by the kernel's receive timestamp. Prints client CPU per
// request and wake-ups per request; the slope between two slacks is the cost of a wake-up.
// Built and run by bench/wake-cost.sh.
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static long long now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000000000LL + t.tv_nsec;
}

static double cpu_seconds(void) {
    struct rusage usage;
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_utime.tv_sec + usage.ru_stime.tv_sec + (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

int main(int argc, char **argv) {
    if (argc != 6) {
        fprintf(stderr, "usage: wake-cost PORT CONNECTIONS RATE SLACK_US SECONDS\n");
        return 2;
    }
    int port = atoi(argv[1]), connections = atoi(argv[2]), seconds = atoi(argv[5]);
    double rate = atof(argv[3]);
    long long slack = atoll(argv[4]) * 1000;
    if (connections < 1 || connections > 1024 || rate <= 0 || seconds < 1) return 2;
    prctl(PR_SET_TIMERSLACK, 1000, 0, 0, 0);
    int fds[1024], busy[1024], free_list[1024], free_count = 0;
    struct sockaddr_in address = {.sin_family = AF_INET, .sin_port = htons(port)};
    inet_pton(AF_INET, "127.0.0.1", &address.sin_addr);
    for (int i = 0; i < connections; i++) {
        fds[i] = socket(AF_INET, SOCK_STREAM, 0);
        if (connect(fds[i], (struct sockaddr *)&address, sizeof address) != 0) {
            perror("connect");
            return 1;
        }
        int one = 1;
        setsockopt(fds[i], IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        busy[i] = 0;
        free_list[free_count++] = i;
    }
    const char *request = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
    size_t length = strlen(request);
    char buffer[65536];
    double cpu_before = cpu_seconds();
    long long start = now_ns() + 1000000, end = start + seconds * 1000000000LL, index = 0, next = start;
    long long last_wake = 0;
    long wakes = 0, done = 0;
    while (now_ns() < end) {
        for (int i = 0; i < connections; i++) {
            if (busy[i] && recv(fds[i], buffer, sizeof buffer, MSG_DONTWAIT) > 0) {
                busy[i] = 0;
                free_list[free_count++] = i;
                done++;
            }
        }
        long long now = now_ns();
        while (next <= now && free_count > 0) {
            int i = free_list[--free_count];
            if (send(fds[i], request, length, MSG_NOSIGNAL) > 0) busy[i] = 1;
            index++;
            next = start + (long long)(index * 1e9 / rate);
        }
        long long wake = next > last_wake + slack ? next : last_wake + slack;
        long long wait = wake - now_ns();
        if (wait > 0) {
            struct timespec pause = {wait / 1000000000, wait % 1000000000};
            clock_nanosleep(CLOCK_MONOTONIC, 0, &pause, NULL);
        }
        wakes++;
        last_wake = now_ns();
    }
    double cpu = cpu_seconds() - cpu_before;
    printf("slack %lld us: %ld requests, %.1f us CPU/request, %.2f wake-ups/request\n", slack / 1000, done,
           cpu * 1e6 / done, (double)wakes / done);
    return 0;
}
