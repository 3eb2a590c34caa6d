/*
 * The C baseline for the jsocketpair benchmarks: the same workloads as the JMH benchmarks, over socketpair(2),
 * read(2)/write(2) (sendmmsg/recvmmsg for the batch case) and two pthreads, pinned with pthread_setaffinity_np.
 *
 *   cbench WORKLOAD TYPE PLACEMENT PARAM MILLIS REPS
 *     WORKLOAD  create | writeread | pingpong | stream | records | mmsg
 *     TYPE      STREAM | DGRAM | SEQPACKET
 *     PLACEMENT one (both threads on CPU 0) | two (main on CPU 0, helper on CPU 1)
 *     PARAM     chunk size for stream, record size for records/mmsg, else 0
 *     MILLIS    length of one repetition; one extra repetition warms up first
 *     REPS      measured repetitions
 *
 * Prints one line, key=value pairs: ns = median over repetitions of the mean time per operation, min/max the
 * extremes; for pingpong also p50/p99 over every sampled round trip.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define BATCH 32

static const char *workload;
static int type, param;
static int helper_cpu;
static int sv[2];
static char *abuf, *bbuf;

static long long now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void die(const char *what) {
    perror(what);
    exit(2);
}

static void pin(pthread_t t, int cpu) {
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu % sysconf(_SC_NPROCESSORS_ONLN), &set);
    if (pthread_setaffinity_np(t, sizeof set, &set) != 0) {
        die("pthread_setaffinity_np");
    }
}

static void write_all(int fd, const char *p, size_t n) {
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0) {
            if (errno == EINTR) continue;
            die("write");
        }
        p += w;
        n -= (size_t) w;
    }
}

/* Reads exactly n bytes (a stream may deliver them in pieces); 0 at end of stream. */
static int read_full(int fd, char *p, size_t n) {
    while (n > 0) {
        ssize_t r = read(fd, p, n);
        if (r <= 0) {
            if (r < 0 && errno == EINTR) continue;
            return 0;
        }
        p += r;
        n -= (size_t) r;
    }
    return 1;
}

static void *helper(void *arg) {
    (void) arg;
    pin(pthread_self(), helper_cpu);
    int fd = sv[1];
    if (strcmp(workload, "pingpong") == 0) {
        while (read_full(fd, bbuf, 1)) {
            if (write(fd, bbuf, 1) != 1) break;
        }
    } else if (strcmp(workload, "mmsg") == 0) {
        struct mmsghdr msgs[BATCH];
        struct iovec iov[BATCH];
        memset(msgs, 0, sizeof msgs);
        for (int i = 0; i < BATCH; i++) {
            iov[i].iov_base = bbuf + i * param;
            iov[i].iov_len = (size_t) param;
            msgs[i].msg_hdr.msg_iov = &iov[i];
            msgs[i].msg_hdr.msg_iovlen = 1;
        }
        for (;;) {
            int n = recvmmsg(fd, msgs, BATCH, MSG_WAITFORONE, NULL);
            int stop = n <= 0;
            for (int i = 0; i < n; i++) {
                stop |= msgs[i].msg_len == 0;
            }
            if (stop) break;
        }
    } else {
        for (;;) {
            ssize_t r = read(fd, bbuf, (size_t) param);
            if (r <= 0 && !(r < 0 && errno == EINTR)) break;
        }
    }
    return NULL;
}

static long long *samples;
static long nsamples, capsamples;

/* One repetition: operations until `millis` have passed; returns mean ns per operation. */
static double rep(long millis, int record) {
    long long start = now_ns(), end = start + millis * 1000000LL, t = start;
    long ops = 0;
    int a = sv[0];
    if (strcmp(workload, "create") == 0) {
        int p[2];
        while (t < end) {
            for (int i = 0; i < 64; i++) {
                if (socketpair(AF_UNIX, type | SOCK_CLOEXEC, 0, p) != 0) die("socketpair");
                close(p[0]);
                close(p[1]);
            }
            ops += 64;
            t = now_ns();
        }
    } else if (strcmp(workload, "writeread") == 0) {
        int b = sv[1];
        while (t < end) {
            for (int i = 0; i < 64; i++) {
                if (write(a, abuf, 1) != 1) die("write");
                if (read(b, bbuf, 1) != 1) die("read");
            }
            ops += 64;
            t = now_ns();
        }
    } else if (strcmp(workload, "pingpong") == 0) {
        while (t < end) {
            long long t0 = now_ns();
            if (write(a, abuf, 1) != 1) die("write");
            if (!read_full(a, abuf, 1)) die("read");
            t = now_ns();
            if (record && nsamples < capsamples) samples[nsamples++] = t - t0;
            ops++;
        }
    } else if (strcmp(workload, "mmsg") == 0) {
        /* Both sides batched: C's best for records, next to the one-call-per-record "records" loop. */
        struct mmsghdr msgs[BATCH];
        struct iovec iov[BATCH];
        memset(msgs, 0, sizeof msgs);
        for (int i = 0; i < BATCH; i++) {
            iov[i].iov_base = abuf + i * param;
            iov[i].iov_len = (size_t) param;
            msgs[i].msg_hdr.msg_iov = &iov[i];
            msgs[i].msg_hdr.msg_iovlen = 1;
        }
        while (t < end) {
            for (int i = 0; i < 4; i++) {
                int sent = 0;
                while (sent < BATCH) {
                    int n = sendmmsg(a, msgs + sent, (unsigned) (BATCH - sent), 0);
                    if (n < 0) {
                        if (errno == EINTR) continue;
                        die("sendmmsg");
                    }
                    sent += n;
                }
            }
            ops += 4 * BATCH;
            t = now_ns();
        }
    } else {
        while (t < end) {
            for (int i = 0; i < 16; i++) {
                write_all(a, abuf, (size_t) param);
            }
            ops += 16;
            t = now_ns();
        }
    }
    return (double) (t - start) / (double) ops;
}

static int cmp_double(const void *x, const void *y) {
    double a = *(const double *) x, b = *(const double *) y;
    return a < b ? -1 : a > b;
}

static int cmp_ll(const void *x, const void *y) {
    long long a = *(const long long *) x, b = *(const long long *) y;
    return a < b ? -1 : a > b;
}

int main(int argc, char **argv) {
    if (argc != 7) {
        fprintf(stderr, "usage: cbench WORKLOAD TYPE PLACEMENT PARAM MILLIS REPS\n");
        return 2;
    }
    workload = argv[1];
    type = strcmp(argv[2], "STREAM") == 0 ? SOCK_STREAM : strcmp(argv[2], "DGRAM") == 0 ? SOCK_DGRAM
            : SOCK_SEQPACKET;
    helper_cpu = strcmp(argv[3], "two") == 0 ? 1 : 0;
    param = atoi(argv[4]);
    long millis = atol(argv[5]);
    int reps = atoi(argv[6]);
    size_t size = (size_t) (param > 0 ? param : 1) * BATCH;
    abuf = calloc(1, size);
    bbuf = calloc(1, size);
    pin(pthread_self(), 0);
    if (socketpair(AF_UNIX, type | SOCK_CLOEXEC, 0, sv) != 0) die("socketpair");
    int threaded = strcmp(workload, "create") != 0 && strcmp(workload, "writeread") != 0;
    pthread_t th;
    if (threaded && pthread_create(&th, NULL, helper, NULL) != 0) die("pthread_create");
    if (strcmp(workload, "pingpong") == 0) {
        capsamples = 20000000;
        samples = malloc(sizeof *samples * (size_t) capsamples);
    }
    rep(millis, 0);
    double *r = malloc(sizeof *r * (size_t) reps);
    for (int i = 0; i < reps; i++) {
        r[i] = rep(millis, 1);
    }
    if (threaded) {
        if (type == SOCK_DGRAM) {
            send(sv[0], abuf, 0, 0); /* an empty datagram tells the helper to stop */
        }
        shutdown(sv[0], SHUT_WR);
        pthread_join(th, NULL);
    }
    qsort(r, (size_t) reps, sizeof *r, cmp_double);
    printf("workload=%s type=%s placement=%s param=%d ns=%.1f min=%.1f max=%.1f", workload, argv[2], argv[3], param,
            r[reps / 2], r[0], r[reps - 1]);
    if (samples != NULL && nsamples > 0) {
        qsort(samples, (size_t) nsamples, sizeof *samples, cmp_ll);
        printf(" p50=%lld p99=%lld samples=%ld", samples[nsamples / 2], samples[nsamples * 99 / 100], nsamples);
    }
    printf("\n");
    return 0;
}
