/**
 * The OS-independent engine behind the public API, exported only to the backends. Its parts, from the user's call
 * down to the kernel:
 * <ul>
 *   <li><b>The endpoint</b>: {@link io.github.jsocketpair.internal.NativeEndpoint}, a thin facade; the close
 *       protocol of every owned number ({@link io.github.jsocketpair.internal.DescriptorUse},
 *       {@link io.github.jsocketpair.internal.Owned}); options, end-of-stream policy, stream and asynchronous views
 *       ({@link io.github.jsocketpair.internal.EndpointOptions}, {@link io.github.jsocketpair.internal.EndOfStream},
 *       {@link io.github.jsocketpair.internal.StreamViews}, {@link io.github.jsocketpair.internal.AsynchronousView}).
 *   <li><b>The call-and-wait loop</b>: {@link io.github.jsocketpair.internal.CallAndWait} and
 *       {@link io.github.jsocketpair.internal.Messages} (lock, use of the number, call, wait, again within the
 *       deadline), and {@link io.github.jsocketpair.internal.DrainGuess} (whether to wait before the first attempt).
 *   <li><b>One system call each</b>: {@link io.github.jsocketpair.internal.Transfers},
 *       {@link io.github.jsocketpair.internal.Vectors}, {@link io.github.jsocketpair.internal.Batches},
 *       {@link io.github.jsocketpair.internal.DescriptorPassing}; their structs
 *       ({@link io.github.jsocketpair.internal.MessageCodec}) and memory ({@link io.github.jsocketpair.internal.Scratch}
 *       lent by {@link io.github.jsocketpair.internal.ScratchPool}, {@link io.github.jsocketpair.internal.Staging}).
 *   <li><b>The one wait path</b>: virtual threads park on {@link io.github.jsocketpair.internal.Pollers} over the
 *       backend's {@link io.github.jsocketpair.internal.Readiness} queue ({@link io.github.jsocketpair.internal.Poller},
 *       {@link io.github.jsocketpair.internal.Waiters}, {@link io.github.jsocketpair.internal.EventArea}); platform
 *       threads poll the socket and a {@link io.github.jsocketpair.internal.Wakeup}
 *       ({@link io.github.jsocketpair.internal.Polls}, {@link io.github.jsocketpair.internal.WakeupPool}) or block in
 *       the call itself, which close ends with a signal ({@link io.github.jsocketpair.internal.KernelWaits}).
 *   <li><b>The backend base</b>: {@link io.github.jsocketpair.internal.PosixBackend} (what every POSIX backend shares),
 *       the binding it calls through ({@link io.github.jsocketpair.internal.Libc}) and the numbers it needs
 *       ({@link io.github.jsocketpair.internal.NativeConstants}); selection at run time
 *       ({@link io.github.jsocketpair.internal.Backends}, {@link io.github.jsocketpair.internal.SelectedBackend}).
 * </ul>
 * Child processes ({@code posix_spawn}, reaping, {@code PATH} search) live apart, in
 * {@code io.github.jsocketpair.internal.spawn}.
 */
package io.github.jsocketpair.internal;
