package io.github.jsocketpair.internal.spawn;

/**
 * The calls {@link PidfdReaper} needs on Linux 5.3+: a process descriptor per child ({@code pidfd_open(2)}), which
 * {@code poll(2)} reports readable once the child has exited, and a close-on-exec pipe to wake the poll when a child
 * is added. Every call returns {@code -1} and leaves the error in {@link SpawnLibc#errno()} on failure. A spawn
 * binding that implements this interface as well as {@link SpawnLibc} gets the pidfd reaper.
 */
public interface PidfdLibc {
    // pidfd_open(2) through syscall(2): Linux 5.3+; the descriptor is always close-on-exec
    int pidfd_open(int pid);

    // pipe2(2) with O_CLOEXEC: fds points at two ints
    int pipe_cloexec(long fds);

    // poll(2): fds points at nfds struct pollfd { int fd; short events; short revents; }
    int poll(long fds, int nfds, int timeout);

    // read(2)
    int read(int fd, long buf, int count);

    // write(2)
    int write(int fd, long buf, int count);

    // close(2): not retried after EINTR (the number is gone)
    int close(int fd);

    /** Returns {@code POLLIN} (1 on every Linux architecture, {@code <asm-generic/poll.h>}). */
    short POLLIN();
}
