#!/usr/bin/env bash
# The release rehearsal: `mvn -P release deploy` as a release would run it, twice, each time in a fresh copy of the
# sources at the release version (the SNAPSHOT suffix dropped: Central's portal takes release bundles only), with
# signing skipped (-Dgpg.skip) and the bundle kept local (-DskipUpload). Then
#   1. reproducible: the sha256 of every jar of the two builds must be the same (project.build.outputTimestamp);
#   2. the bundle: every published artifact (parent, bom, core, linux, bsd, all, cli) at one version with its POM
#      (carrying what Central requires), its jar, sources and javadoc jars where it has a jar, the checksums of
#      every file correct; no unpublished module in it; the licence in every jar; the java.lang.foreign classes in
#      the multi-release jars.
# The second build's bundle stays in target/ci-release/bundle.zip for .ci/consumer.sh.
#
#   .ci/release.sh            (JAVA_HOME picks the JDK running Maven; MVN_ARGS adds Maven options, e.g. -t FILE)
#
# Writes target/ci-release/summary (lines for .ci/run's summary); exits non-zero when a check fails.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
root=$PWD
read -r -a MVN_EXTRA <<< "${MVN_ARGS:-}"
out=$root/target/ci-release
# The JDK's jar tool reads the zips (unzip is not on every machine).
JAR=${JAVA_HOME:+$JAVA_HOME/bin/}jar
PUBLISHED=(jsocketpair-parent jsocketpair-bom jsocketpair-core jsocketpair-linux jsocketpair-bsd jsocketpair-all
    jsocketpair-cli)
WITH_JAR=(jsocketpair-core jsocketpair-linux jsocketpair-bsd jsocketpair-all jsocketpair-cli)

fail() {
    echo "release check: $*" >&2
    exit 1
}

snapshot=$(sed -n 's|^  <version>\(.*\)</version>|\1|p' pom.xml | head -n 1)
version=${snapshot%-SNAPSHOT}
bom_version=$(sed -n 's|^  <version>\(.*\)</version>|\1|p' bom/pom.xml | head -n 1)
[ "$bom_version" = "$snapshot" ] || fail "bom/pom.xml has version $bom_version, the parent $snapshot"

rm -rf "$out"
mkdir -p "$out"
installed=$HOME/.m2/repository/io/github/jsocketpair/jsocketpair-core/$version
installed_before=$( [ -e "$installed" ] && echo yes || true)

# One build: the working tree's files (tracked and new, not ignored) copied to $out/$1, the version set, then the
# release build from clean. Tests are not the point here (.ci/run ran them): -Dmaven.test.skip. Nothing may reach
# ~/.m2 (a 0.1.0 there would pass for a release in every later build): -Dmaven.install.skip.
build() {
    local dir=$out/$1 start=$SECONDS
    mkdir -p "$dir"
    if git rev-parse --is-inside-work-tree > /dev/null 2>&1; then
        git ls-files -z --cached --others --exclude-standard | tar -cf - --null -T - | tar -xf - -C "$dir"
    else
        tar -cf - --exclude=./target --exclude='./*/target' --exclude=./.git . | tar -xf - -C "$dir"
    fi
    find "$dir" -name pom.xml -exec sed -i "s|<version>$snapshot</version>|<version>$version</version>|" {} +
    (cd "$dir" && mvn -B -q "${MVN_EXTRA[@]}" -P release clean deploy -Dmaven.test.skip=true \
        -Dmaven.install.skip=true -Dgpg.skip -DskipUpload) > "$out/$1.log" 2>&1 \
        || { cat "$out/$1.log" >&2; fail "mvn -P release deploy failed ($1)"; }
    if [ -z "$installed_before" ] && [ -e "$installed" ]; then
        fail "the release build installed $installed"
    fi
    # sha256 of every jar the build made, by path inside the tree
    (cd "$dir" && find . -path '*/target/*' -name '*.jar' -not -path '*/central-*' | LC_ALL=C sort \
        | xargs sha256sum) > "$out/$1.sha256"
    echo "$1: mvn -P release deploy in $((SECONDS - start)) s, $(wc -l < "$out/$1.sha256") jars"
}

build first
build second

# 1. reproducible
if ! diff -u "$out/first.sha256" "$out/second.sha256"; then
    fail "two builds of the same sources gave different jars (above)"
fi
jars=$(wc -l < "$out/second.sha256")
echo "reproducible: the $jars jars of two clean builds have the same sha256"

# 2. the bundle
bundle=$(find "$out/second" -path '*/target/central-publishing/central-bundle.zip' | head -n 1)
[ -n "$bundle" ] || fail "no central-bundle.zip was made"
cp "$bundle" "$out/bundle.zip"
rm -rf "$out/bundle"
mkdir "$out/bundle"
(cd "$out/bundle" && "$JAR" xf ../bundle.zip)
base=$out/bundle/io/github/jsocketpair
problems=()
expect() {
    [ -f "$base/$1" ] || problems+=("missing $1")
}
for a in "${PUBLISHED[@]}"; do
    expect "$a/$version/$a-$version.pom"
done
for a in "${WITH_JAR[@]}"; do
    for c in "" -sources -javadoc; do
        expect "$a/$version/$a-$version$c.jar"
    done
done
# nothing else: no unpublished module, no other version
while IFS= read -r d; do
    a=$(basename "$(dirname "$d")")
    [[ " ${PUBLISHED[*]} " == *" $a "* ]] || problems+=("unpublished artifact $a in the bundle")
    [ "$(basename "$d")" = "$version" ] || problems+=("$a has version $(basename "$d"), not $version")
done < <(find "$base" -mindepth 2 -maxdepth 2 -type d)
# every file has its checksums, and they are right
files=0
while IFS= read -r f; do
    files=$((files + 1))
    for alg in md5 sha1 sha256 sha512; do
        if [ ! -f "$f.$alg" ]; then
            problems+=("no .$alg for ${f#"$base"/}")
        elif [ "$(cut -d' ' -f1 < "$f.$alg")" != "$("${alg}sum" < "$f" | cut -d' ' -f1)" ]; then
            problems+=("wrong .$alg for ${f#"$base"/}")
        fi
    done
done < <(find "$base" -type f \( -name '*.jar' -o -name '*.pom' \))
# what Central requires of each POM (the parent's is inherited by the modules; the bom and the cli's reduced POM
# must carry or inherit it too)
for a in "${PUBLISHED[@]}"; do
    pom=$base/$a/$version/$a-$version.pom
    [ -f "$pom" ] || continue
    for tag in name description; do
        grep -q "<$tag>" "$pom" || problems+=("$a's POM has no <$tag>")
    done
    if [ "$a" = jsocketpair-parent ] || [ "$a" = jsocketpair-bom ]; then
        for tag in url licenses developers scm; do
            grep -q "<$tag>" "$pom" || problems+=("$a's POM has no <$tag>")
        done
    else
        grep -q "<artifactId>jsocketpair-parent</artifactId>" "$pom" || problems+=("$a's POM does not inherit the parent")
    fi
done
if [ -f "$base/jsocketpair-cli/$version/jsocketpair-cli-$version.pom" ] && sed -n '/<dependencies>/,/<\/dependencies>/p' \
        "$base/jsocketpair-cli/$version/jsocketpair-cli-$version.pom" | grep -Eq '<artifactId>(jsocketpair-|jna)'; then
    problems+=("jsocketpair-cli's POM lists dependencies that its jar already holds")
fi
# Whether a jar has an entry matching a regex (the listing read whole: grep -q in a pipe would cut jar short).
jar_has() {
    local list
    [ -f "$1" ] || return 1
    list=$("$JAR" tf "$1" 2>/dev/null) || return 1
    grep -Eq "$2" <<< "$list"
}
# the jars: licence, classes, the JDK 22+ half, sources, javadoc
for a in "${WITH_JAR[@]}"; do
    d=$base/$a/$version
    [ -f "$d/$a-$version.jar" ] || continue
    jar_has "$d/$a-$version.jar" '^META-INF/LICENSE$' || problems+=("$a's jar has no META-INF/LICENSE")
    jar_has "$d/$a-$version.jar" '\.class$' || problems+=("$a's jar has no classes")
    jar_has "$d/$a-$version-sources.jar" '\.java$' || problems+=("$a's sources jar has no .java")
    jar_has "$d/$a-$version-javadoc.jar" '^index\.html$' || problems+=("$a's javadoc jar has no index.html")
done
for a in jsocketpair-core jsocketpair-linux jsocketpair-cli; do
    jar_has "$base/$a/$version/$a-$version.jar" '^META-INF/versions/22/.*\.class$' \
        || problems+=("$a's jar has no META-INF/versions/22 classes (the java.lang.foreign path)")
done
rm -rf "$out/manifest"
mkdir "$out/manifest"
(cd "$out/manifest" && "$JAR" xf "$base/jsocketpair-cli/$version/jsocketpair-cli-$version.jar" META-INF/MANIFEST.MF) \
    2>/dev/null || true
manifest=$(cat "$out/manifest/META-INF/MANIFEST.MF" 2>/dev/null || true)
grep -q '^Main-Class: io.github.jsocketpair.cli.Main' <<< "$manifest" || problems+=("jsocketpair-cli's jar is not runnable")
grep -q '^Multi-Release: true' <<< "$manifest" || problems+=("jsocketpair-cli's jar is not multi-release")
# signatures: skipped here, so none; with a key, gpg:sign adds a .asc per file
if find "$base" -name '*.asc' | grep -q .; then
    problems+=("signatures in a build with -Dgpg.skip")
fi

if [ "${#problems[@]}" -gt 0 ]; then
    printf '  %s\n' "${problems[@]}" >&2
    fail "${#problems[@]} problems in the bundle ($out/bundle.zip)"
fi
echo "bundle: ${#PUBLISHED[@]} artifacts at $version, $files files, each with 4 correct checksums; unsigned (-Dgpg.skip)"
{
    echo "release: reproducible, the $jars jars of two clean -P release builds have the same sha256"
    echo "release: bundle of ${#PUBLISHED[@]} artifacts at $version, $files files (POMs, jars, sources, javadoc), checksums right, unsigned"
} > "$out/summary"
