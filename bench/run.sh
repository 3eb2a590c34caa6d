#!/usr/bin/env bash
# Runs every benchmark (jsocketpair, the JDK's Unix-domain channels, loopback TCP, Pipe, junixsocket, jnr-unixsocket
# and the C baseline) and prints one table; about 8 minutes on a 2-core machine.
#
#   bench/run.sh [--jdk JAVA_HOME] [--skip-build] [--only REGEX] [--iteration-ms N]
#
# --jdk picks the JVM that runs the benchmarks (default: $JAVA_HOME, else the java on PATH); JDK 22+ takes
# jsocketpair's java.lang.foreign path, JDK 17-21 its JNA path. --only keeps the Java rows whose
# "contender:TYPE:buffers" key matches (e.g. 'jsocketpair|jdk-unix'); C always runs. The table also goes to
# bench/target/table.md.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
jdk="${JAVA_HOME:-}"
build=1
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --jdk) jdk="$2"; shift 2 ;;
    --skip-build) build=0; shift ;;
    *) args+=("$1"); shift ;;
  esac
done
java="${jdk:+$jdk/bin/}java"

if [ "$build" = 1 ]; then
  echo "building (mvn package -pl bench -am) ..."
  # jsocketpair's java.lang.foreign half is compiled by a JDK 22+ found through Maven toolchains: list this
  # machine's JDKs (without one the jars are JNA-only and the build says so)
  mkdir -p "$here/target"
  "$root/.ci/toolchains.sh" > "$here/target/toolchains.xml" 2> /dev/null \
    || echo "no JDK 22+ on this machine: jsocketpair's jars will be JNA-only" >&2
  (cd "$root" && mvn -B -q -o package -pl bench -am -DskipTests -t "$here/target/toolchains.xml")
fi
mkdir -p "$here/target"
gcc -O2 -Wall -Wextra -o "$here/target/cbench" "$here/src/main/c/cbench.c" -lpthread

echo "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(uname -sr)"
echo "jdk:     $("$java" -XshowSettings:properties -version 2>&1 | grep -E 'java.vm.version|java.vendor =' | awk -F'= ' '{print $2}' | paste -sd' ')"
echo "load:    $(cut -d' ' -f1-3 /proc/loadavg) (other work on the machine shows up as noise)"
exec "$java" -XX:+IgnoreUnrecognizedVMOptions --enable-native-access=ALL-UNNAMED \
  -jar "$here/target/benchmarks.jar" --cbench "$here/target/cbench" --out "$here/target/table.md" "${args[@]}"
