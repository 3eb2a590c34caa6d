#!/usr/bin/env bash
# Runs every benchmark (jsocketpair, the JDK's Unix-domain channels, loopback TCP, Pipe, junixsocket, jnr-unixsocket
# and the C baseline) and prints one table; about 8 minutes on a 2-core machine. Then the virtual-thread echo
# workload (N pairs, an echo and a client virtual thread each; jsocketpair, the JDK's channels, junixsocket; JDK 21+,
# skipped on older JVMs), one JVM per contender and N, about 2 minutes, as a second table.
#
#   bench/run.sh [--jdk JAVA_HOME] [--skip-build] [--only REGEX] [--iteration-ms N]
#                [--virtual | --no-virtual] [--pairs 1,100,5000] [--carriers N] [--virtual-ms N] [--stall-ms N]
#                [--ramp-ms N]
#
# --jdk picks the JVM that runs the benchmarks (default: $JAVA_HOME, else the java on PATH); JDK 22+ takes
# jsocketpair's java.lang.foreign path, JDK 17-21 its JNA path. --only keeps the Java rows whose
# "contender:TYPE:buffers" key matches (e.g. 'jsocketpair|jdk-unix'); C always runs. The table also goes to
# bench/target/table.md.
#
# --virtual runs only the virtual-thread workload (no C, no JMH), --no-virtual skips it. There --only matches
# "contender:STREAM:virtual" (jdk-unix, jsocketpair, junixsocket); --pairs lists the N; --carriers sets the
# scheduler's parallelism and maxPoolSize (default: the CPU count); --virtual-ms is the warm-up and iteration length
# (default 1000, five iterations); --stall-ms how long without a single round trip makes a point "hung" (default
# 5000); --ramp-ms the longest wait for every pair's first round trip (default 10000).
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
# 5,000 pairs hold 10,000 descriptors (junixsocket: 20,000); raise the soft limit as far as the hard one allows.
want=20000
hard="$(ulimit -Hn)"
if [ "$hard" != unlimited ] && [ "$hard" -lt "$want" ]; then want="$hard"; fi
ulimit -Sn "$want" 2>/dev/null || true
echo "fds:     RLIMIT_NOFILE soft $(ulimit -Sn), hard $(ulimit -Hn) (ulimit -n $want for the 5,000-pair virtual-thread point)"
exec "$java" -XX:+IgnoreUnrecognizedVMOptions --enable-native-access=ALL-UNNAMED \
  -jar "$here/target/benchmarks.jar" --cbench "$here/target/cbench" --out "$here/target/table.md" "${args[@]}"
