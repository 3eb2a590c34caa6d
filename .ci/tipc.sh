#!/usr/bin/env bash
# .ci/tipc.sh — the AF_TIPC tests (JUnit tag `tipc`) inside a kernel that has TIPC.
#
# The build machine's kernel has no tipc module: there the TIPC tests only see EAFNOSUPPORT and skip themselves.
# ../shared/tipcvm boots Debian 12's stock kernel under qemu-system with tipc.ko loaded, chrooted into this
# machine's root filesystem, and runs Maven (offline) there with this clone shared read-write (TIPCVM_RW).
# Run after a host build (.ci/run's `mvn verify`; `mvn -o -q test-compile` is enough).
#
# The run must prove something: the reports must come from the VM's kernel (os.version differs from the host's),
# at least one TIPC test must have run, and none may have been skipped (a skip would mean no TIPC after all).
#
# Env:  TIPCVM_SCRIPTS   the tipcvm scripts (default: ../shared/tipcvm beside this clone)
#       TIPCVM_TIMEOUT   seconds before the VM is killed (default here 900)
#       TIPC_MIN_TESTS   fewest TIPC tests that must have run (default 1)
#       MVN_ARGS         extra Maven options
# Exit: 0 passed, 1 failed (a test, a skip, no test, the VM), 2 usage.
set -uo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cd "$HERE/.."
CLONE=$PWD
TIPCVM_SCRIPTS=${TIPCVM_SCRIPTS:-$(cd .. && pwd)/shared/tipcvm}
MIN_TESTS=${TIPC_MIN_TESTS:-1}
read -r -a MVN_EXTRA <<< "${MVN_ARGS:-}"
REPORTS=tests/target/surefire-reports
OUT=tests/target/tipcvm
LOG=$OUT/test.log

[ -x "$TIPCVM_SCRIPTS/run.sh" ] || { echo "tipc: no $TIPCVM_SCRIPTS/run.sh (set TIPCVM_SCRIPTS)" >&2; exit 2; }
case "$CLONE" in *,* | *' '*) echo "tipc: tipcvm cannot share a path with ',' or ' ': $CLONE" >&2; exit 2 ;; esac
mkdir -p "$OUT"
rm -rf "$REPORTS" "$OUT/totals" "$OUT/summary"

printf '\n=== tipc: tests tagged tipc in the tipcvm kernel (host kernel %s)\n' "$(uname -r)"
start=$SECONDS
# Why `-am test-compile` and not plain `surefire:test -pl tests`: see .ci/xarch.sh (Maven 3 would take core and
# linux from ~/.m2). Inside the VM everything is already compiled, so test-compile only checks time stamps.
# JAVA_TOOL_OPTIONS reaches Maven's JVM and the forked test JVM alike: C1 only roughly halves the time under TCG.
TIPCVM_RW=$CLONE TIPCVM_TIMEOUT=${TIPCVM_TIMEOUT:-900} JAVA_TOOL_OPTIONS=-XX:TieredStopAtLevel=1 \
    "$TIPCVM_SCRIPTS/run.sh" mvn -B -o "${MVN_EXTRA[@]}" test-compile surefire:test -pl tests -am \
        -Dgroups=tipc -Dtest='io/github/jsocketpair/tests/**/*IT' -Dsurefire.failIfNoSpecifiedTests=false \
    > "$LOG" 2>&1
rc=$?
grep -E 'Tests run:.* in |FAIL|<<< ' "$LOG" | sed 's/^/  /'
case "$rc" in
    124) echo "tipc: the VM timed out" >&2 ;;
    125) echo "tipc: the VM failed to boot or run the command" >&2 ;;
esac

# The reports: from the VM kernel, some tests, no skips, no failures.
T=0 F=0 E=0 S=0 n=0 foreign=0 vmkernel=
host=$(uname -r)
for f in "$REPORTS"/TEST-*.xml; do
    [ -f "$f" ] || continue
    n=$((n + 1))
    kernel=$(grep -o 'name="os.version" value="[^"]*"' "$f" | head -n 1 | sed 's/.*value="\(.*\)"/\1/')
    if [ "$kernel" = "$host" ]; then
        echo "tipc: $f was written on the host kernel $host, not in the VM" >&2
        foreign=1
    fi
    vmkernel=$kernel
    suite=$(grep -o '<testsuite [^>]*' "$f" | head -n 1)
    T=$((T + $(sed -n 's/.* tests="\([0-9]*\)".*/\1/p' <<< "$suite")))
    F=$((F + $(sed -n 's/.* failures="\([0-9]*\)".*/\1/p' <<< "$suite")))
    E=$((E + $(sed -n 's/.* errors="\([0-9]*\)".*/\1/p' <<< "$suite")))
    S=$((S + $(sed -n 's/.* skipped="\([0-9]*\)".*/\1/p' <<< "$suite")))
done
mkdir -p "$OUT/reports" && rm -f "$OUT/reports"/*
cp "$REPORTS"/*.xml "$REPORTS"/*.txt "$OUT/reports/" 2> /dev/null

bad=
[ "$rc" = 0 ] || bad="maven exit $rc"
[ "$foreign" = 0 ] || bad="${bad:+$bad; }reports from the host kernel"
[ "$T" -ge "$MIN_TESTS" ] || bad="${bad:+$bad; }only $T TIPC tests ran (want >= $MIN_TESTS)"
[ "$S" = 0 ] || bad="${bad:+$bad; }$S TIPC tests skipped (TIPC missing in the VM?)"
[ $((F + E)) = 0 ] || bad="${bad:+$bad; }$((F + E)) failed"

printf '\n=== tipc: summary (%d s)\n' $((SECONDS - start))
summary="$((T - F - E - S)) passed, $((F + E)) failed, $S skipped in $n test classes, kernel ${vmkernel:-?}"
echo "$((T - F - E - S)) $((F + E)) $S" > "$OUT/totals"
if [ -n "$bad" ]; then
    echo "TIPC in the tipcvm kernel: FAILED: $summary — $bad" > "$OUT/summary"
    echo "  TIPC FAILED: $summary — $bad"
    echo "tipc: last lines of $LOG:" >&2
    tail -n 80 "$LOG" | sed 's/^/    /' >&2
    exit 1
fi
echo "TIPC in the tipcvm kernel: $summary ($((SECONDS - start)) s)" > "$OUT/summary"
echo "  TIPC passed: $summary"
