#!/bin/sh
# .ci/bsd-vm.sh — the README's test command on a real BSD or macOS kernel, as .github/workflows/bsd.yml runs it
# inside each VM (and on the macOS runners). POSIX sh: the BSDs have no bash out of the box.
#
#   .ci/bsd-vm.sh prepare   install a JDK 17 and Maven with the system's package tool (root); FreeBSD: mount fdescfs
#   .ci/bsd-vm.sh test      mvn -B verify; then collect the UNVERIFIED errno lines into target/ci/unverified.txt
#
# JNA's jar has no libjnidispatch for NetBSD (nor for OpenBSD on aarch64), and its OpenBSD x86-64 one does not load
# on 7.8 (JNA issue #1709): there the system's JNA package must provide one, of the same version as the JNA jar
# (5.18.1, JNA checks it). JNA_LIB_DIR overrides where it is looked for; the forked test JVMs get
# -Djna.boot.library.path through the parent POM's test.jvm.args.
# Exit: 0 passed, 1 failed, 2 usage.
set -eu

cd "$(dirname "$0")/.."
OS=$(uname -s)
OUT=target/ci
mkdir -p "$OUT"

say() { printf '\n=== %s\n' "$*"; }

prepare() {
    say "prepare: $OS $(uname -r) $(uname -m)"
    case "$OS" in
        FreeBSD)
            env ASSUME_ALWAYS_YES=yes pkg install -y openjdk17 maven
            # the JDK needs fdescfs (pkg-message of openjdk17); the leak checks count /dev/fd entries
            mount | grep -q ' on /dev/fd ' || mount -t fdescfs fdesc /dev/fd
            ;;
        NetBSD)
            pkgin -y update
            pkgin -y install openjdk17 apache-maven
            pkgin -y install jna || echo "prepare: no jna package; set JNA_LIB_DIR to a libjnidispatch directory"
            ;;
        OpenBSD)
            pkg_add -I jdk%17 maven jna
            ;;
        DragonFly)
            env ASSUME_ALWAYS_YES=yes pkg install -y openjdk17 maven
            ;;
        Darwin)
            # the runners have a JDK 17 (setup-java) and Maven already
            ;;
        *)
            echo "bsd-vm: not a BSD or macOS: $OS" >&2
            exit 2
            ;;
    esac
}

# The directory of the system's libjnidispatch, where JNA's jar ships none that loads; empty elsewhere.
jna_dir() {
    if [ -n "${JNA_LIB_DIR:-}" ]; then
        echo "$JNA_LIB_DIR"
        return
    fi
    case "$OS" in
        NetBSD) root=/usr/pkg ;;
        OpenBSD) root=/usr/local ;;
        *) return ;;
    esac
    lib=$(find "$root" -name 'libjnidispatch.so*' 2> /dev/null | head -n 1)
    if [ -z "$lib" ]; then
        echo "bsd-vm: no libjnidispatch under $root: JNA cannot load on $OS; install JNA $root's package or set" \
            "JNA_LIB_DIR" >&2
        exit 1
    fi
    dirname "$lib"
}

java_home() {
    if [ -n "${JAVA_HOME:-}" ]; then
        echo "$JAVA_HOME"
        return
    fi
    for d in /usr/local/openjdk17 /usr/pkg/java/openjdk17 /usr/local/jdk-17; do
        if [ -x "$d/bin/java" ]; then
            echo "$d"
            return
        fi
    done
    echo "bsd-vm: no JDK 17 found (set JAVA_HOME)" >&2
    exit 1
}

run_tests() {
    JAVA_HOME=$(java_home)
    export JAVA_HOME
    args="-XX:+IgnoreUnrecognizedVMOptions --enable-native-access=ALL-UNNAMED"
    dir=$(jna_dir)
    if [ -n "$dir" ]; then
        args="$args -Djna.boot.library.path=$dir"
        say "JNA's native library from $dir"
    fi
    say "mvn -B verify on $OS $(uname -r) $(uname -m), $("$JAVA_HOME/bin/java" -version 2>&1 | head -n 1)"
    rc=0
    mvn -B verify -Dtest.jvm.args="$args" || rc=$?
    # the lines a first run on a new kernel should send back (README: "Running the contract tests on a BSD")
    find . -path '*/target/*-reports/*' -type f \( -name '*.txt' -o -name '*.xml' \) \
        -exec grep -h 'UNVERIFIED errno observed' {} + 2> /dev/null | sort -u > "$OUT/unverified.txt" || true
    say "$(wc -l < "$OUT/unverified.txt" | tr -d ' ') UNVERIFIED errno lines in $OUT/unverified.txt"
    cat "$OUT/unverified.txt"
    return "$rc"
}

case "${1:-}" in
    prepare) prepare ;;
    test) run_tests ;;
    *)
        echo "usage: .ci/bsd-vm.sh prepare|test" >&2
        exit 2
        ;;
esac
