#!/usr/bin/env bash
# Prints a Maven toolchains.xml with every JDK this machine has (a home with bin/javac), so that the build finds a
# JDK 22+ for src/main/java22 through Maven toolchains (the parent POM's java22-toolchain check) and no POM names a
# machine path. Looks in $JDK17, $JDK25, $JAVA_HOME, the java on the PATH, /usr/lib/jvm, /usr/java, /opt and
# ~/.sdkman; each JDK once, described by its own java.specification.version and java.vendor.
#
#   .ci/toolchains.sh > toolchains.xml && mvn -t toolchains.xml ...
#
# Exits 1 when no JDK 22+ is among them (the jars would be JNA-only and -P release refuses that).
set -euo pipefail

candidates=("${JDK17:-}" "${JDK25:-}" "${JAVA_HOME:-}")
if command -v javac > /dev/null; then
    candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")")
fi
for d in /usr/lib/jvm/* /usr/java/* /opt/* /opt/java/* "$HOME"/.sdkman/candidates/java/*; do
    candidates+=("$d")
done

# The value of one system property of a JDK.
property() {
    "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n "s/^ *$2 = //p" | head -n 1
}

seen=" "
newest=0
echo '<?xml version="1.0" encoding="UTF-8"?>'
echo '<!-- Written by .ci/toolchains.sh: the JDKs of this machine. -->'
echo '<toolchains>'
for c in "${candidates[@]}"; do
    [ -n "$c" ] && [ -x "$c/bin/javac" ] && [ -x "$c/bin/java" ] || continue
    home=$(readlink -f "$c")
    [[ "$seen" == *" $home "* ]] && continue
    seen="$seen$home "
    version=$(property "$home" java.specification.version)
    vendor=$(property "$home" java.vendor)
    [ -n "$version" ] || continue
    major=${version#1.}
    major=${major%%.*}
    [ "$major" -gt "$newest" ] && newest=$major
    cat <<XML
  <toolchain>
    <type>jdk</type>
    <provides>
      <version>$version</version>
      <vendor>$vendor</vendor>
    </provides>
    <configuration>
      <jdkHome>$home</jdkHome>
    </configuration>
  </toolchain>
XML
    echo "toolchains: JDK $version ($vendor) at $home" >&2
done
echo '</toolchains>'
if [ "$newest" -lt 22 ]; then
    echo "toolchains: no JDK 22 or later on this machine: the jars will be JNA-only" >&2
    exit 1
fi
