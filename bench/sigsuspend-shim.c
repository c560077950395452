// valgrind 3.19 writes into the signal mask passed to rt_sigsuspend; libdispatch's parked main thread passes
// one in read-only memory, and valgrind crashes. Preloaded under valgrind by bench/callgrind.sh: the mask is
// copied to the stack first.
#define _GNU_SOURCE
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

int sigsuspend(const sigset_t *mask) {
    sigset_t copy = *mask;
    return (int)syscall(SYS_rt_sigsuspend, &copy, _NSIG / 8);
}
