#!/usr/bin/env bash
# .ci/xarch.sh [ARCH...] — the tests module's contract kit on other Linux architectures under qemu-user.
#
# For each ARCH (default: arm64 ppc64el s390x mips64el) ../shared/xarch/setup.sh builds (or reuses) a sysroot with
# Debian's OpenJDK 17 for that architecture, and Surefire forks that JVM (-Djvm=) to run the *IT classes of the
# `tests` module, so the per-architecture constants (mips socket types, SOL_SOCKET and errno table; powerpc SO_*
# numbers; big-endian s390x) meet a real syscall ABI. Maven and javac stay native and offline: run this after a host
# build (.ci/run's `mvn verify`; `mvn -o -q test-compile` is enough).
#
# The TIPC tests (tag tipc, see .ci/tipc.sh), the heavy loops (tag heavy) and the fuzz tests (tag jazzer: Jazzer
# ships native code for x86-64 and arm64 only, and its agent costs minutes under emulation) run natively only.
#
# Env:  XARCH_DIR           the xarch scripts (default: ../shared/xarch beside this clone)
#       XARCH_CACHE         sysroot cache (default /tmp/xarch, shared with setup.sh)
#       XARCH_SETUP_TRIES   setup attempts per arch (default 4) — a Debian mirror mid-sync fails a download with
#       XARCH_SETUP_PAUSE   "File has unexpected size" for a while; seconds between attempts (default 30)
#       XARCH_ARCH_TIMEOUT  seconds allowed per arch for the test run (default 900)
#       MVN_ARGS            extra Maven options
# Exit: 0 when every arch passed or was skipped because the Debian mirror was unreachable (said loudly),
#       1 when any arch failed (setup for another reason, a test, or no test at all ran), 2 on usage errors.
set -uo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cd "$HERE/.."
XARCH_DIR=${XARCH_DIR:-$(cd .. && pwd)/shared/xarch}
export XARCH_CACHE=${XARCH_CACHE:-/tmp/xarch}
TRIES=${XARCH_SETUP_TRIES:-4}
PAUSE=${XARCH_SETUP_PAUSE:-30}
ARCH_TIMEOUT=${XARCH_ARCH_TIMEOUT:-900}
read -r -a MVN_EXTRA <<< "${MVN_ARGS:-}"
LOGS=tests/target/xarch
REPORTS=tests/target/surefire-reports

[ -x "$XARCH_DIR/setup.sh" ] || { echo "xarch: no $XARCH_DIR/setup.sh (set XARCH_DIR)" >&2; exit 2; }
[ $# -gt 0 ] || set -- arm64 ppc64el s390x mips64el
mkdir -p "$LOGS"
rm -f "$LOGS/totals" "$LOGS/summary"

say() { printf '\n=== xarch: %s\n' "$*"; }

# What the JVM reports as os.arch on each Debian architecture (checked in the reports: the tests really ran there).
os_arch() {
    case "$1" in
        arm64) echo aarch64 ;; ppc64el) echo ppc64le ;; s390x) echo s390x ;; mips64el) echo mips64el ;;
        *) return 1 ;;
    esac
}

# JVM options for the emulated JVM. C1 only on the JIT arches: C2's compile work costs more under qemu than it
# saves in a run this short; serial GC keeps the emulated thread count down. mips64el has no JIT at all (Zero).
java_opts() {
    case "$1" in
        mips64el) echo "-XX:+UseSerialGC" ;;
        *) echo "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC" ;;
    esac
}

# setup.sh with retries. Returns 0 when ready, 3 when every attempt failed on the Debian mirror (network, a
# download of unexpected size or hash: a mirror mid-sync), 1 for any other failure.
setup_arch() {
    local arch=$1 log="$LOGS/setup-$1.log" i
    for ((i = 1; i <= TRIES; i++)); do
        if "$XARCH_DIR/setup.sh" "$arch" > "$log" 2>&1; then
            grep "\] OK:" "$log" || true
            return 0
        fi
        echo "xarch: setup of $arch failed (attempt $i of $TRIES):" >&2
        tail -n 5 "$log" | sed 's/^/    /' >&2
        [ "$i" -lt "$TRIES" ] && sleep "$PAUSE"
    done
    if grep -qE 'Failed to fetch|Could not resolve|Temporary failure|Unable to connect|Connection (timed out|refused|failed)|Network is unreachable|unexpected size|Hash Sum mismatch|download failed|Some index files failed' "$log"; then
        return 3
    fi
    return 1
}

# Sums the report counts of one arch's run and checks os.arch; sets T F E S and returns 1 when a report is from
# another architecture or nothing ran.
count_reports() {
    local want=$1 f suite n=0
    T=0 F=0 E=0 S=0
    for f in "$REPORTS"/TEST-*.xml; do
        [ -f "$f" ] || continue
        n=$((n + 1))
        if ! grep -q "name=\"os.arch\" value=\"$want\"" "$f"; then
            echo "xarch: $f was not written by an $want JVM" >&2
            return 1
        fi
        suite=$(grep -o '<testsuite [^>]*' "$f" | head -n 1)
        T=$((T + $(sed -n 's/.* tests="\([0-9]*\)".*/\1/p' <<< "$suite")))
        F=$((F + $(sed -n 's/.* failures="\([0-9]*\)".*/\1/p' <<< "$suite")))
        E=$((E + $(sed -n 's/.* errors="\([0-9]*\)".*/\1/p' <<< "$suite")))
        S=$((S + $(sed -n 's/.* skipped="\([0-9]*\)".*/\1/p' <<< "$suite")))
    done
    [ "$n" -gt 0 ] && [ "$T" -gt 0 ]
}

# One arch's test run. Why not plain `mvn surefire:test -pl tests`: with no lifecycle phase, Maven 3 resolves the
# sibling modules (core, linux, bsd) from ~/.m2 — stale, or absent on a fresh machine, and this project never
# installs. `-am test-compile` puts them in the reactor with their target/classes (up to date: nothing is
# recompiled), and -Dtest limits Surefire to the tests module's ITs, so core's and linux's unit tests are not run
# under emulation.
#
# A failed test runs once more (-Dsurefire.rerunFailingTestsCount=1), here only: qemu-user 7.2 now and then leaves
# the child of a fork of the busy multithreaded JVM blocked on one of qemu's own locks before execve (the child's
# /proc shows the parent's command line and descriptors, both threads in futex_wait inside the qemu binary), an
# emulator fault unrelated to the code under test. Such a rerun is printed as a flake (the log's "Flakes:" line and
# the report's <flakyFailure>), never hidden; natively every failure stands. The extension NoChildOutlivesItsTest
# kills the stuck child, whose inherited pipes would otherwise hold Surefire until ARCH_TIMEOUT.
run_arch() {
    local arch=$1 log="$LOGS/test-$arch.log" rc
    rm -rf "$REPORTS"
    XARCH_JAVA_OPTS="$(java_opts "$arch")" timeout -k 10 "$ARCH_TIMEOUT" \
        mvn -B -o "${MVN_EXTRA[@]}" test-compile surefire:test -pl tests -am \
            -Djvm="$XARCH_CACHE/jvm/$arch/bin/java" -DexcludedGroups=heavy,tipc,jazzer \
            -Dtest='io/github/jsocketpair/tests/**/*IT' -Dsurefire.failIfNoSpecifiedTests=false \
            -Dsurefire.rerunFailingTestsCount=1 \
        > "$log" 2>&1
    rc=$?
    grep -E 'Tests run:.* in |FAIL|<<< |Flakes: [1-9]|^\[WARNING\] Flakes' "$log" | sed 's/^/  /'
    [ "$rc" = 124 ] && echo "xarch: $arch timed out after ${ARCH_TIMEOUT}s" >&2
    mkdir -p "$LOGS/reports-$arch" && rm -f "$LOGS/reports-$arch"/*
    cp "$REPORTS"/*.xml "$REPORTS"/*.txt "$LOGS/reports-$arch/" 2> /dev/null
    return "$rc"
}

SUMMARY=() FAILED=() SKIPPED=()
TP=0 TF=0 TS=0 # totals over all arches, for .ci/run
start=$SECONDS
for arch in "$@"; do
    want=$(os_arch "$arch") || { echo "xarch: unknown arch $arch (arm64 ppc64el s390x mips64el)" >&2; exit 2; }
    t0=$SECONDS
    say "$arch: setup"
    setup_arch "$arch"
    src=$?
    if [ "$src" = 3 ]; then
        cat >&2 <<MSG
########################################################################################################
# xarch: $arch SKIPPED — the Debian mirror could not be reached or served a broken file after $TRIES attempts.
# NOTHING WAS TESTED ON $arch. See $LOGS/setup-$arch.log.
########################################################################################################
MSG
        SKIPPED+=("$arch")
        SUMMARY+=("$(printf '%-9s SKIPPED: Debian mirror unreachable (setup, %d s)' "$arch" $((SECONDS - t0)))")
        continue
    elif [ "$src" != 0 ]; then
        echo "xarch: setup of $arch failed; see $LOGS/setup-$arch.log" >&2
        FAILED+=("$arch")
        SUMMARY+=("$(printf '%-9s FAILED: setup (%d s)' "$arch" $((SECONDS - t0)))")
        continue
    fi
    t1=$SECONDS
    say "$arch: tests (forked JVM $XARCH_CACHE/jvm/$arch/bin/java, $(java_opts "$arch"))"
    run_arch "$arch"
    rrc=$?
    if count_reports "$want"; then
        counts="$((T - F - E - S)) passed, $((F + E)) failed, $S skipped"
        TP=$((TP + T - F - E - S)) TF=$((TF + F + E)) TS=$((TS + S))
    else
        counts="no usable test reports"
        [ "$rrc" = 0 ] && rrc=1
    fi
    if [ "$rrc" = 0 ] && [ $((F + E)) = 0 ]; then
        verdict=passed
    else
        verdict=FAILED
        FAILED+=("$arch")
        echo "xarch: $arch failed (maven exit $rrc); last lines of $LOGS/test-$arch.log:" >&2
        tail -n 60 "$LOGS/test-$arch.log" | sed 's/^/    /' >&2
    fi
    SUMMARY+=("$(printf '%-9s %s: %s (os.arch %s; setup %d s, tests %d s)' "$arch" "$verdict" "$counts" "$want" \
        $((t1 - t0)) $((SECONDS - t1)))")
done

say "summary ($((SECONDS - start)) s)"
printf '  %s\n' "${SUMMARY[@]}"
if [ ${#SKIPPED[@]} -gt 0 ]; then
    echo "  WARNING: not tested (Debian mirror unreachable): ${SKIPPED[*]}"
fi
# for .ci/run's summary
echo "$TP $TF $TS" > "$LOGS/totals"
{
    printf 'qemu-user %s\n' "${SUMMARY[@]}"
    [ ${#SKIPPED[@]} = 0 ] || echo "qemu-user: NOT TESTED (Debian mirror unreachable): ${SKIPPED[*]}"
} > "$LOGS/summary"
if [ ${#FAILED[@]} -gt 0 ]; then
    echo "xarch: FAILED on ${FAILED[*]}" >&2
    exit 1
fi
