package io.github.jsocketpair.internal;

import io.github.jsocketpair.Errno;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The numbers and struct layouts of one platform (an OS, and on Linux an architecture family), filled in by that
 * platform's constants class ({@code LinuxConstants}, {@code FreeBsdConstants}, ...) and then {@link #freeze()
 * frozen}. Field names are the C names, so a table can be checked line by line against its header.
 *
 * <p>Conventions: a flag bit the platform lacks is {@code 0}; a constant it lacks (a domain, a socket option) is
 * {@link #ABSENT}. Every field must be set: {@link #freeze()} rejects a table with a field left at {@link #UNSET}.
 */
public final class NativeConstants {
    /** A constant the platform does not define. */
    public static final int ABSENT = -1;
    /**
     * A field the constants class forgot; never valid in a frozen table. Not {@code Integer.MIN_VALUE}: that is the
     * bit 0x80000000, NetBSD 11's {@code SOCK_CLOFORK} (the one free bit of its {@code SOCK_FLAGS_MASK}); no table
     * holds this many-bit pattern.
     */
    public static final int UNSET = 0x8badf00d;

    // <sys/socket.h>: address families
    public int AF_UNIX = UNSET;
    public int AF_TIPC = UNSET;
    // <sys/socket.h>: types and type flags (0 = no such flag)
    public int SOCK_STREAM = UNSET;
    public int SOCK_DGRAM = UNSET;
    public int SOCK_SEQPACKET = UNSET;
    public int SOCK_NONBLOCK = UNSET;
    public int SOCK_CLOEXEC = UNSET;
    public int SOCK_CLOFORK = UNSET;
    public int SOCK_NOSIGPIPE = UNSET;
    // <sys/socket.h>: message flags (0 = no such flag)
    public int MSG_OOB = UNSET;
    public int MSG_PEEK = UNSET;
    public int MSG_DONTWAIT = UNSET;
    public int MSG_WAITALL = UNSET;
    public int MSG_TRUNC = UNSET;
    public int MSG_CTRUNC = UNSET;
    public int MSG_EOR = UNSET;
    public int MSG_NOSIGNAL = UNSET;
    public int MSG_CMSG_CLOEXEC = UNSET;
    // <sys/socket.h>: socket options (ABSENT = no such option)
    public int SOL_SOCKET = UNSET;
    public int SO_TYPE = UNSET;
    public int SO_DOMAIN = UNSET;
    public int SO_PROTOCOL = UNSET;
    public int SO_ERROR = UNSET;
    public int SO_SNDBUF = UNSET;
    public int SO_RCVBUF = UNSET;
    public int SO_NOSIGPIPE = UNSET;
    public int SCM_RIGHTS = UNSET;
    // <sys/socket.h>: shutdown
    public int SHUT_RD = UNSET;
    public int SHUT_WR = UNSET;
    public int SHUT_RDWR = UNSET;
    // <fcntl.h>
    public int F_GETFD = UNSET;
    public int F_SETFD = UNSET;
    public int F_GETFL = UNSET;
    public int F_SETFL = UNSET;
    public int FD_CLOEXEC = UNSET;
    public int O_NONBLOCK = UNSET;
    public int F_DUPFD_CLOEXEC = UNSET;
    // <poll.h>
    public int POLLIN = UNSET;
    public int POLLOUT = UNSET;
    public int POLLERR = UNSET;
    public int POLLHUP = UNSET;
    public int POLLNVAL = UNSET;
    /** The peer shut down its output or is gone (Linux 2.6.17+); ABSENT where the OS has none. */
    public int POLLRDHUP = ABSENT;
    // errno numbers the shared logic acts on (the full table is set with errno(...))
    public int EINTR = UNSET;
    public int EAGAIN = UNSET;
    public int EWOULDBLOCK = UNSET;

    // Struct layouts, in bytes. struct msghdr: msg_name @0, msg_namelen, msg_iov, msg_iovlen, msg_control,
    // msg_controllen, msg_flags; struct cmsghdr: cmsg_len (cmsgLenSize bytes), int cmsg_level, int cmsg_type.
    public int pointerSize = UNSET;
    public int msghdrSize = UNSET;
    public int msgIovOffset = UNSET;
    public int msgIovlenOffset = UNSET;
    public int msgIovlenSize = UNSET;
    public int msgControlOffset = UNSET;
    public int msgControllenOffset = UNSET;
    public int msgControllenSize = UNSET;
    public int msgFlagsOffset = UNSET;
    public int cmsgLenSize = UNSET;
    public int cmsgAlign = UNSET;
    /** {@code IOV_MAX}: the most iovecs one call takes. */
    public int iovMax = UNSET;
    /** The most descriptors one SCM_RIGHTS message may carry ({@code SCM_MAX_FD} 253 on Linux). */
    public int maxFdsPerMessage = UNSET;

    /** Linux's {@code SCM_PIDFD}, or {@link #ABSENT}; optional, so not one of the fields every table must set. */
    private int scmPidfd = ABSENT;
    /** The signal the JDK's channels wake a blocked thread with, or ABSENT; optional, like {@link #scmPidfd}. */
    private int interruptSignal = ABSENT;
    /** {@code MSG_CMSG_CLOFORK}, or 0; optional, like {@link #scmPidfd}. */
    private int msgCmsgClofork;
    /** Optional socket options, like {@link #scmPidfd}: ABSENT where the platform has none. */
    private int soRcvlowat = ABSENT;
    private int soPeekOff = ABSENT;
    private int soPeerPidfd = ABSENT;
    private int passCredentialsLevel = ABSENT;
    private int passCredentialsName = ABSENT;
    private int scmCredentials = ABSENT;

    private final Map<Integer, Errno> errnoByNumber = new HashMap<>();
    private final Map<Errno, Integer> numberByErrno = new EnumMap<>(Errno.class);
    private boolean frozen;

    /**
     * Sets the struct layouts of an LP64 or ILP32 platform whose {@code msg_iovlen}, {@code msg_controllen} and
     * {@code cmsg_len} are {@code lenSize} bytes wide ({@code size_t} on Linux, {@code int}/{@code socklen_t} on the
     * BSDs): the fields follow each other with natural alignment.
     *
     * @param pointerSize 8 or 4
     * @param lenSize the width of the length fields, 8 or 4
     * @param cmsgAlign the {@code CMSG_ALIGN} unit
     * @return this
     */
    public NativeConstants naturalLayout(int pointerSize, int lenSize, int cmsgAlign) {
        this.pointerSize = pointerSize;
        int p = pointerSize;
        // msg_name (p), msg_namelen (4, padded to p), msg_iov (p), msg_iovlen (len, padded to p),
        // msg_control (p), msg_controllen (len), msg_flags (int), padded to p.
        msgIovOffset = 2 * p;
        msgIovlenOffset = 3 * p;
        msgIovlenSize = lenSize;
        msgControlOffset = 4 * p;
        msgControllenOffset = 5 * p;
        msgControllenSize = lenSize;
        msgFlagsOffset = msgControllenOffset + lenSize;
        msghdrSize = align(msgFlagsOffset + 4, p);
        cmsgLenSize = lenSize;
        this.cmsgAlign = cmsgAlign;
        return this;
    }

    /**
     * Records that native errno {@code number} is {@code errno}. A name may have several numbers (the first is the
     * one reported for it); a number has one name.
     *
     * @param errno the portable name
     * @param number the native number
     * @return this
     */
    public NativeConstants errno(Errno errno, int number) {
        checkNotFrozen();
        Errno old = errnoByNumber.putIfAbsent(number, errno);
        if (old != null && old != errno) {
            throw new IllegalArgumentException("errno " + number + " is both " + old + " and " + errno);
        }
        numberByErrno.putIfAbsent(errno, number);
        return this;
    }

    /**
     * Sets {@code SCM_PIDFD}: a control message type that carries a descriptor the kernel installs when
     * {@code SO_PASSPIDFD} is set (Linux 6.5+). The receive path closes it, so it can never leak.
     *
     * @param value the number
     * @return this
     */
    public NativeConstants scmPidfd(int value) {
        checkNotFrozen();
        scmPidfd = value;
        return this;
    }

    /** Returns {@code SCM_PIDFD}, or {@link #ABSENT} where the platform has none. */
    public int scmPidfd() {
        return scmPidfd;
    }

    /**
     * Sets the signal the JDK's own channels send to wake a thread blocked in a system call when the channel is
     * closed ({@code INTERRUPT_SIGNAL} in the JDK's {@code NativeThread.c}: {@code __SIGRTMAX - 2} on Linux), whose
     * do-nothing handler the JDK installs without {@code SA_RESTART}. Set only where the number and the C library's
     * {@code struct sigaction} (handler first) are known for the architecture; {@link KernelWaits} uses it.
     *
     * @param value the signal number
     * @return this
     */
    public NativeConstants interruptSignal(int value) {
        checkNotFrozen();
        interruptSignal = value;
        return this;
    }

    /** Returns the JDK's interrupt signal, or {@link #ABSENT} where it is not used here. */
    public int interruptSignal() {
        return interruptSignal;
    }

    /**
     * Sets {@code MSG_CMSG_CLOFORK}: the {@code recvmsg} flag that gives received descriptors close-on-fork, for
     * endpoints of pairs opened with {@code CLOFORK} (OpenBSD 7.8+; FreeBSD 15+ once the kernel proved its
     * close-on-fork numbers).
     *
     * @param value the bit
     * @return this
     * @throws IllegalStateException if the table is frozen
     */
    public NativeConstants msgCmsgClofork(int value) {
        checkNotFrozen();
        msgCmsgClofork = value;
        return this;
    }

    /** Returns {@code MSG_CMSG_CLOFORK}, or 0 where the platform has none (or it was not proven). */
    public int msgCmsgClofork() {
        return msgCmsgClofork;
    }

    /**
     * Sets {@code SO_RCVLOWAT} (at {@code SOL_SOCKET}).
     *
     * @param value the option number
     * @return this
     * @throws IllegalStateException if the table is frozen
     */
    public NativeConstants soRcvlowat(int value) {
        checkNotFrozen();
        soRcvlowat = value;
        return this;
    }

    /** Returns {@code SO_RCVLOWAT}, or {@link #ABSENT}. */
    public int soRcvlowat() {
        return soRcvlowat;
    }

    /**
     * Sets {@code SO_PEEK_OFF} (at {@code SOL_SOCKET}; Linux).
     *
     * @param value the option number
     * @return this
     * @throws IllegalStateException if the table is frozen
     */
    public NativeConstants soPeekOff(int value) {
        checkNotFrozen();
        soPeekOff = value;
        return this;
    }

    /** Returns {@code SO_PEEK_OFF}, or {@link #ABSENT}. */
    public int soPeekOff() {
        return soPeekOff;
    }

    /**
     * Sets {@code SO_PEERPIDFD} (at {@code SOL_SOCKET}; Linux 6.5+): getsockopt installs a pidfd of the peer.
     *
     * @param value the option number
     * @return this
     * @throws IllegalStateException if the table is frozen
     */
    public NativeConstants soPeerPidfd(int value) {
        checkNotFrozen();
        soPeerPidfd = value;
        return this;
    }

    /** Returns {@code SO_PEERPIDFD}, or {@link #ABSENT}. */
    public int soPeerPidfd() {
        return soPeerPidfd;
    }

    /**
     * Sets the boolean option that asks the kernel for the sender's credentials on every received message, and the
     * {@code SOL_SOCKET} control message type they arrive as: {@code SO_PASSCRED}/{@code SCM_CREDENTIALS} on Linux,
     * {@code LOCAL_CREDS_PERSISTENT}/{@code SCM_CREDS2} on FreeBSD, {@code LOCAL_CREDS}/{@code SCM_CREDS} on NetBSD.
     * The backend decodes the struct.
     *
     * @param level the option's level
     * @param name the option's number
     * @param controlType the control message type
     * @return this
     * @throws IllegalStateException if the table is frozen
     */
    public NativeConstants passCredentials(int level, int name, int controlType) {
        checkNotFrozen();
        passCredentialsLevel = level;
        passCredentialsName = name;
        scmCredentials = controlType;
        return this;
    }

    /** Returns the level of the pass-credentials option, or {@link #ABSENT} where there is none. */
    public int passCredentialsLevel() {
        return passCredentialsLevel;
    }

    /** Returns the number of the pass-credentials option, or {@link #ABSENT} where there is none. */
    public int passCredentialsName() {
        return passCredentialsName;
    }

    /** Returns the control message type credentials arrive as, or {@link #ABSENT}. */
    public int scmCredentials() {
        return scmCredentials;
    }

    /**
     * Maps a native errno number to its portable name.
     *
     * @param number the number the OS gave
     * @return the name, {@link Errno#UNKNOWN} if the table has none
     */
    public Errno toErrno(int number) {
        return errnoByNumber.getOrDefault(number, Errno.UNKNOWN);
    }

    /**
     * Maps a portable name to the platform's number, for errors raised before a native call.
     *
     * @param errno the name
     * @return the number, or {@link #ABSENT} if the platform has no such errno
     */
    public int nativeErrno(Errno errno) {
        return numberByErrno.getOrDefault(errno, ABSENT);
    }

    /**
     * Returns the errno table as name → number, for table tests.
     *
     * @return a copy
     */
    public Map<Errno, Integer> errnoTable() {
        return new EnumMap<>(numberByErrno);
    }

    /**
     * Checks that every field is set and forbids further {@link #errno} calls.
     *
     * @return this
     * @throws IllegalStateException naming the fields left unset
     */
    public NativeConstants freeze() {
        List<String> unset = new ArrayList<>();
        for (Field f : NativeConstants.class.getFields()) {
            if (f.getType() == int.class && !Modifier.isStatic(f.getModifiers())) {
                try {
                    if (f.getInt(this) == UNSET) {
                        unset.add(f.getName());
                    }
                } catch (IllegalAccessException e) {
                    throw new AssertionError(e);
                }
            }
        }
        for (String required : List.of("EINTR", "EAGAIN", "EBADF", "EINVAL", "EPIPE")) {
            if (!numberByErrno.containsKey(Errno.valueOf(required))) {
                unset.add("errno " + required);
            }
        }
        if (!unset.isEmpty()) {
            throw new IllegalStateException("constants table incomplete: " + unset);
        }
        frozen = true;
        return this;
    }

    private void checkNotFrozen() {
        if (frozen) {
            throw new IllegalStateException("frozen");
        }
    }

    /** {@code CMSG_ALIGN(n)} for this platform. */
    public int cmsgAlign(int n) {
        return align(n, cmsgAlign);
    }

    /** {@code CMSG_LEN(n)}: header plus {@code n} data bytes. */
    public int cmsgLen(int n) {
        return cmsgAlign(cmsgHeaderSize()) + n;
    }

    /** {@code CMSG_SPACE(n)}: header plus {@code n} data bytes, padded. */
    public int cmsgSpace(int n) {
        return cmsgAlign(cmsgHeaderSize()) + cmsgAlign(n);
    }

    /** {@code sizeof(struct cmsghdr)}: the length field plus {@code cmsg_level} and {@code cmsg_type}. */
    public int cmsgHeaderSize() {
        return cmsgLenSize + 8;
    }

    /** {@code sizeof(struct iovec)}. */
    public int iovecSize() {
        return 2 * pointerSize;
    }

    /** Rounds {@code n} up to a multiple of {@code unit}, a power of two (struct layout arithmetic). */
    public static int align(int n, int unit) {
        return (n + unit - 1) & -unit;
    }
}
