#!/usr/bin/env bash
# `selftest --json` as CI reads it, on each JDK given: the JSON must say "passed": true, and on JDK 22+ the backend
# must make its calls through java.lang.foreign (proof that the jar's META-INF/versions/22 half was built, through
# Maven toolchains, and is what a JDK 22+ runs).
#
#   .ci/selftest-json.sh JAVA_HOME...
#
# Writes target/ci-selftest-json/summary (lines for .ci/run's summary).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
jar=cli/target/jsocketpair.jar
out=target/ci-selftest-json
rm -rf "$out"
mkdir -p "$out"
: > "$out/summary"
for home in "$@"; do
    [ -x "$home/bin/java" ] || continue
    v=$("$home/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p')
    json=$out/selftest-$v.json
    status=0
    "$home/bin/java" -jar "$jar" selftest --json > "$json" || status=$?
    if [ "$status" -ne 0 ] || ! grep -q '^  "passed": true$' "$json"; then
        cat "$json" >&2
        echo "selftest --json on JDK $v: exit $status, not passed" >&2
        exit 1
    fi
    detail=$(sed -n 's/^    "detail": "\(.*\)",$/\1/p' "$json" | head -n 1)
    if [ "${v%%.*}" -ge 22 ] && [[ "$detail" != *java.lang.foreign* ]]; then
        echo "selftest --json on JDK $v: the backend uses '$detail', not java.lang.foreign: the jar has no JDK 22+ half" >&2
        exit 1
    fi
    counts=$(tr -d '\n ' < "$json" | grep -o '"counts":{[^}]*}')
    echo "selftest --json, JDK $v: passed, $counts, $detail" | tee -a "$out/summary"
done
