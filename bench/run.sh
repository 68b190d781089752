#!/usr/bin/env bash
# The compile-time benchmark (see bench/README.md).
#
#   bash bench/run.sh            full run: every corpus, medians of several runs, prints the Markdown table (~30-40 min)
#   bash bench/run.sh --smoke    tiny corpora once each; exits 0 iff everything compiled and every count is right
#   bash bench/run.sh --only mixed-500x50 --runs 9    any other arguments go to dev.modelcost.bench.Bench
#
# Environment: BENCH_MVN_FLAGS (extra Maven flags, e.g. -o), BENCH_JVM (flags of the benchmark JVM).
set -euo pipefail
cd "$(dirname "$0")/.."

mvn_flags=(-B -q -Dstyle.color=never ${BENCH_MVN_FLAGS:-})

echo "== installing modelcost-annotations and modelcost-processor to the local repository" >&2
mvn "${mvn_flags[@]}" install -DskipTests

args="$*"
if [[ " $args " != *" --smoke "* && " $args " != *" --raw "* ]]; then
  args="$args --raw $PWD/bench/target/bench-runs.csv"
fi
jvm=()
if [ -n "${BENCH_JVM:-}" ]; then
  jvm=("-Dbench.jvm=$BENCH_JVM")
fi

echo "== building and running the benchmark: Bench $args" >&2
mkdir -p bench/target
# (sed drops the colour codes that some Maven versions print even in batch mode)
mvn "${mvn_flags[@]}" -f bench/pom.xml compile exec:exec "${jvm[@]}" -Dbench.args="$args" \
  | sed -u 's/\x1b\[[0-9;]*m//g' | tee bench/target/bench-output.md
