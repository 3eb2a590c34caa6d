package io.github.jsocketpair;

import java.io.IOException;
import java.util.Objects;

/**
 * A native call failed, or was refused before the call because the platform cannot do what was asked. Carries the
 * portable {@link Errno}, the number the OS gave (or would give) and the name of the call.
 */
public class SocketPairException extends IOException {
    private static final long serialVersionUID = 1L;

    /** The portable error name. */
    private final Errno errno;
    /** The OS's own errno number. */
    private final int nativeErrno;
    /** The native call, e.g. {@code "socketpair"}. */
    private final String call;

    /**
     * Creates an exception whose message is {@code call(detail) failed: errno N (NAME) description}, or
     * {@code call(detail) failed: errno N (no name on this platform)} when {@code errno} is {@link Errno#UNKNOWN}.
     *
     * @param call the native call that failed, e.g. {@code "socketpair"}
     * @param errno the portable error name
     * @param nativeErrno the number the OS gave or would give
     * @param detail what was asked (the arguments in readable form), or {@code null}
     * @throws NullPointerException if {@code call} or {@code errno} is null
     */
    public SocketPairException(String call, Errno errno, int nativeErrno, String detail) {
        this(call, errno, nativeErrno, detail, null);
    }

    /**
     * Creates an exception like {@link #SocketPairException(String, Errno, int, String)} whose message ends with an
     * explanation, used when the library refuses a request before any native call (e.g. a flag the OS lacks).
     *
     * @param call the native call that failed or would have failed
     * @param errno the portable error name
     * @param nativeErrno the number the OS gave or would give
     * @param detail what was asked, or {@code null}
     * @param reason why, in a sentence (which platform lacks what, where it exists), or {@code null}
     * @throws NullPointerException if {@code call} or {@code errno} is null
     */
    public SocketPairException(String call, Errno errno, int nativeErrno, String detail, String reason) {
        super(format(call, errno, nativeErrno, detail) + (reason == null ? "" : ": " + reason));
        this.call = Objects.requireNonNull(call, "call");
        this.errno = Objects.requireNonNull(errno, "errno");
        this.nativeErrno = nativeErrno;
    }

    private static String format(String call, Errno errno, int nativeErrno, String detail) {
        // An unknown number has no name and no text worth printing ("Unknown error" says nothing the number doesn't).
        String what = errno == Errno.UNKNOWN ? "(no name on this platform)"
                : "(" + errno.name() + ") " + errno.description();
        return call + "(" + (detail == null ? "" : detail) + ") failed: errno " + nativeErrno + " " + what;
    }

    /**
     * Returns the portable name of the error.
     *
     * @return the error, {@link Errno#UNKNOWN} when the backend has no name for {@link #nativeErrno()}
     */
    public Errno errno() {
        return errno;
    }

    /**
     * Returns the errno number as the running OS defines it.
     *
     * @return the native number
     */
    public int nativeErrno() {
        return nativeErrno;
    }

    /**
     * Returns the native call that failed or was refused.
     *
     * @return the call's C name, e.g. {@code "socketpair"}, {@code "recvmsg"}
     */
    public String call() {
        return call;
    }
}
