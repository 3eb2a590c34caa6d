#!/usr/bin/env bash
# The consumer check: a separate Maven project (.ci/consumer) that imports only jsocketpair-bom and depends only on
# jsocketpair-all, as README's dependency section says, built against the release bundle that .ci/release.sh left
# in target/ci-release/bundle, then README's example run from it with plain java: on the class path and on the
# module path, each on every JDK given (README's --enable-native-access flags; JDK 22+ must print no native-access
# warning). The example between the markers in Example.java must be README's.
#
#   .ci/consumer.sh JAVA_HOME...      (MVN_ARGS adds Maven options)
#
# The jsocketpair artifacts must not reach ~/.m2 (other builds there would see a release that is not one): the
# project builds with a private local repository under target/ci-consumer, which reads everything else from
# ~/.m2/repository as a file repository (Maven Central behind it for anything missing).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
root=$PWD
read -r -a MVN_EXTRA <<< "${MVN_ARGS:-}"
bundle=$root/target/ci-release/bundle
out=$root/target/ci-consumer
[ "$#" -gt 0 ] || { echo "usage: $0 JAVA_HOME..." >&2; exit 2; }

fail() {
    echo "consumer check: $*" >&2
    exit 1
}

[ -d "$bundle/io/github/jsocketpair/jsocketpair-all" ] || fail "no bundle in $bundle: run .ci/release.sh first"
version=$(basename "$(find "$bundle/io/github/jsocketpair/jsocketpair-all" -mindepth 1 -maxdepth 1 -type d | head -n 1)")

# README's example block (the first ```java after "## Example") must be the one the consumer runs.
normalise() { sed -e 's/^[[:space:]]*//' -e 's/[[:space:]]*$//' -e '/^$/d'; }
readme=$(awk '/^## Example/ {s = 1} s && /^```java/ {p = 1; next} p && /^```/ {exit} p' README.md | normalise)
example=$(awk '/--- README example ---/ {p = 1; next} /--- end ---/ {p = 0} p' \
    .ci/consumer/src/main/java/example/consumer/Example.java | normalise)
[ -n "$readme" ] || fail "no java block under README's ## Example"
if [ "$readme" != "$example" ]; then
    diff <(echo "$readme") <(echo "$example") >&2 || true
    fail "README's example and .ci/consumer's differ (above: README, then the consumer)"
fi

rm -rf "$out"
mkdir -p "$out"
cp -r .ci/consumer "$out/project"
cat > "$out/settings.xml" <<XML
<settings>
  <profiles>
    <profile>
      <id>ci-consumer</id>
      <repositories>
        <repository>
          <id>jsocketpair-bundle</id>
          <url>file://$bundle</url>
          <snapshots><enabled>false</enabled></snapshots>
        </repository>
        <repository>
          <id>m2-cache</id>
          <url>file://$HOME/.m2/repository</url>
        </repository>
      </repositories>
      <pluginRepositories>
        <pluginRepository>
          <id>m2-cache</id>
          <url>file://$HOME/.m2/repository</url>
        </pluginRepository>
      </pluginRepositories>
    </profile>
  </profiles>
  <activeProfiles><activeProfile>ci-consumer</activeProfile></activeProfiles>
</settings>
XML
start=$SECONDS
(cd "$out/project" && mvn -B -q "${MVN_EXTRA[@]}" -s "$out/settings.xml" -Dmaven.repo.local="$out/m2" \
    -Djsocketpair.version="$version" package) || fail "the consumer project did not build"
echo "consumer: built against the bundle ($version) in $((SECONDS - start)) s"

# What the one dependency brought: the API, both backends, JNA, and nothing else.
lib=$out/project/target/lib
got=$(cd "$lib" && ls | LC_ALL=C sort | tr '\n' ' ')
want="jna-"
for a in all bsd core linux; do
    [ -f "$lib/jsocketpair-$a-$version.jar" ] || fail "jsocketpair-$a-$version.jar not among the dependencies: $got"
done
[ "$(ls "$lib" | wc -l)" -eq 5 ] && ls "$lib" | grep -q "^$want" || fail "expected jsocketpair-{all,core,linux,bsd} and JNA, got: $got"

classes=$out/project/target/classes
runs=0
for home in "$@"; do
    [ -x "$home/bin/java" ] || continue
    v=$("$home/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p')
    for path in class module; do
        if [ "$path" = class ]; then
            cmd=("$home/bin/java" --enable-native-access=ALL-UNNAMED -cp "$classes:$lib/*" example.consumer.Example)
        else
            cmd=("$home/bin/java" --enable-native-access=com.sun.jna,io.github.jsocketpair.linux
                -p "$classes:$lib" -m example.consumer/example.consumer.Example)
        fi
        if ! stdout=$("${cmd[@]}" 2> "$out/stderr"); then
            cat "$out/stderr" >&2
            fail "the example failed on JDK $v, $path path: ${cmd[*]}"
        fi
        [ "$stdout" = "4 bytes: ping" ] || fail "JDK $v, $path path: printed '$stdout', not '4 bytes: ping'"
        if [ -s "$out/stderr" ]; then
            cat "$out/stderr" >&2
            fail "JDK $v, $path path: the example wrote to stderr (above)"
        fi
        echo "consumer: JDK $v, $path path: 4 bytes: ping"
        runs=$((runs + 1))
    done
done
[ "$runs" -gt 0 ] || fail "no JDK to run the example"
echo "consumer: BOM + jsocketpair-all $version, README's example passed $runs runs (class and module path, $(( runs / 2 )) JDKs)" > "$out/summary"
