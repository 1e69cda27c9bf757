#!/usr/bin/env bash
# Chain benchmark (issue 10's target): a record changed on a named primary is served, signed, by a knotd secondary of
# Cascade in at most 1 s (median of 20 changes, small zone). The chain is system-tests' ChainIT (named → Cascade →
# knotd and nsd → unbound, TSIG and NOTIFY on both legs, harness ChainServers): the script runs that IT with
# -Dcascade.chain.changes=N, which after its own checks makes N changes by nsupdate and times each from just before
# nsupdate runs until knotd answers the new TXT record with its RRSIG (dnsjava, polled every 10 ms).
#
# Usage: bench/chain.sh [--changes 20] [--m2 <maven repository>]
# Needs: the packaged services and CLI (make build, or ./mvnw install -DskipTests), the Kafka and registry builds
# (make build-registry build-kafka), and the Debian servers of deploy/local/install-test-deps.sh. Uses the stack's
# fixed ports (4539-4542, 8081-8084, 127.0.0.2-3:5300): nothing else may hold them.
# Prints the median, p90 and max in ms; the figures are also in system-tests/target/system-test-work/tests/chain/bench.txt.
set -euo pipefail

REPO="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
CHANGES=20
M2=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --changes) CHANGES="$2"; shift 2 ;;
    --m2) M2=("-Dmaven.repo.local=$2"); shift 2 ;;
    *) echo "chain.sh: unknown option $1" >&2; exit 2 ;;
  esac
done

cd "$REPO"
RESULT=system-tests/target/system-test-work/tests/chain/bench.txt
rm -f "$RESULT"
./mvnw -B -q -o "${M2[@]}" -pl system-tests verify -Dit.test=ChainIT -Dtest=none \
  -Dsurefire.failIfNoSpecifiedTests=false -Dcascade.chaos.skip=true -Dcascade.chain.changes="$CHANGES" >&2
[[ -s $RESULT ]] || { echo "chain.sh: ChainIT wrote no $RESULT" >&2; exit 1; }
cat "$RESULT"
