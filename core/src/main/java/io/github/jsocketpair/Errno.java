package io.github.jsocketpair;

/**
 * Portable names of the {@code errno} values this library reports. The numbers differ between operating systems and
 * between Linux architectures; each backend maps its own numbers onto these names, and
 * {@link SocketPairException#nativeErrno()} keeps the number the OS gave.
 */
public enum Errno {
    /** Operation not permitted. */
    EPERM("Operation not permitted"),
    /** No such file or directory. */
    ENOENT("No such file or directory"),
    /** No such process. */
    ESRCH("No such process"),
    /** Interrupted system call. */
    EINTR("Interrupted system call"),
    /** Input/output error. */
    EIO("Input/output error"),
    /** No such device or address. */
    ENXIO("No such device or address"),
    /** Argument list too long. */
    E2BIG("Argument list too long"),
    /** Exec format error. */
    ENOEXEC("Exec format error"),
    /** Bad file descriptor. */
    EBADF("Bad file descriptor"),
    /** No child processes. */
    ECHILD("No child processes"),
    /** Resource temporarily unavailable (also {@code EWOULDBLOCK}). */
    EAGAIN("Resource temporarily unavailable"),
    /** Cannot allocate memory. */
    ENOMEM("Cannot allocate memory"),
    /** Permission denied. */
    EACCES("Permission denied"),
    /** Bad address. */
    EFAULT("Bad address"),
    /** Device or resource busy. */
    EBUSY("Device or resource busy"),
    /** File exists. */
    EEXIST("File exists"),
    /** Not a directory. */
    ENOTDIR("Not a directory"),
    /** Is a directory. */
    EISDIR("Is a directory"),
    /** Invalid argument. */
    EINVAL("Invalid argument"),
    /** Too many open files in system. */
    ENFILE("Too many open files in system"),
    /** Too many open files. */
    EMFILE("Too many open files"),
    /** Inappropriate ioctl for device. */
    ENOTTY("Inappropriate ioctl for device"),
    /** No space left on device. */
    ENOSPC("No space left on device"),
    /** Illegal seek. */
    ESPIPE("Illegal seek"),
    /** Read-only file system. */
    EROFS("Read-only file system"),
    /** Broken pipe. */
    EPIPE("Broken pipe"),
    /** File name too long. */
    ENAMETOOLONG("File name too long"),
    /** Function not implemented. */
    ENOSYS("Function not implemented"),
    /** Too many levels of symbolic links. */
    ELOOP("Too many levels of symbolic links"),
    /** Socket operation on non-socket. */
    ENOTSOCK("Socket operation on non-socket"),
    /** Destination address required. */
    EDESTADDRREQ("Destination address required"),
    /** Message too long. */
    EMSGSIZE("Message too long"),
    /** Protocol wrong type for socket. */
    EPROTOTYPE("Protocol wrong type for socket"),
    /** Protocol not available. */
    ENOPROTOOPT("Protocol not available"),
    /** Protocol not supported. */
    EPROTONOSUPPORT("Protocol not supported"),
    /** Socket type not supported. */
    ESOCKTNOSUPPORT("Socket type not supported"),
    /** Operation not supported (also {@code ENOTSUP} where the OS gives both the same number). */
    EOPNOTSUPP("Operation not supported"),
    /** Operation not supported ({@code ENOTSUP}, where the OS numbers it apart from {@code EOPNOTSUPP}). */
    ENOTSUP("Not supported"),
    /** Address family not supported by protocol. */
    EAFNOSUPPORT("Address family not supported by protocol"),
    /** Address already in use. */
    EADDRINUSE("Address already in use"),
    /** Software caused connection abort. */
    ECONNABORTED("Software caused connection abort"),
    /** Connection reset by peer. */
    ECONNRESET("Connection reset by peer"),
    /** No buffer space available. */
    ENOBUFS("No buffer space available"),
    /** Transport endpoint is already connected. */
    EISCONN("Transport endpoint is already connected"),
    /** Transport endpoint is not connected. */
    ENOTCONN("Transport endpoint is not connected"),
    /** Cannot send after transport endpoint shutdown. */
    ESHUTDOWN("Cannot send after transport endpoint shutdown"),
    /** Too many references: cannot splice. */
    ETOOMANYREFS("Too many references: cannot splice"),
    /** Connection timed out. */
    ETIMEDOUT("Connection timed out"),
    /** Connection refused. */
    ECONNREFUSED("Connection refused"),
    /** No route to host. */
    EHOSTUNREACH("No route to host"),
    /** Value too large for defined data type. */
    EOVERFLOW("Value too large for defined data type"),
    /** A number this library has no name for; {@link SocketPairException#nativeErrno()} holds it. */
    UNKNOWN("Unknown error");

    private final String description;

    Errno(String description) {
        this.description = description;
    }

    /**
     * Returns the usual {@code strerror} text for this error, in English, the same on every OS.
     *
     * @return the description, never {@code null}
     */
    public String description() {
        return description;
    }
}
