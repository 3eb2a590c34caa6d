/**
 * The BSD backend of jsocketpair: FreeBSD, NetBSD, OpenBSD, DragonFly and macOS, each with its own constants, errno
 * numbers and struct layouts ({@code io.github.jsocketpair.bsd.jna}), over the shared POSIX logic of core.
 */
package io.github.jsocketpair.bsd;
