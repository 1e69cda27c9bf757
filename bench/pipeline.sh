#!/usr/bin/env bash
# Pipeline benchmark: the packaged services on the `make up` defaults (deploy/local/stack.sh), fed TLD-like zones
# (bench/gen-zone.py), timed from outside as an operator sees them:
#   - add:     `cascade zone add` until the zone's SOA is served on the publication port (4542);
#   - change:  one delegation changed in the zone file, `cascade zone reload`, until the new serial is served
#              (median, minimum and maximum of --changes changes);
#   - memory:  each service's peak RSS growth (VmHWM after the zone minus VmHWM before it, so the JVM baseline is
#              left out) divided by the signed zone's record count (AXFR from 4542);
#   - offline: `bin/cascade signzone` on the same zone with a fresh KSK and ZSK (ECDSA P-256, as the default
#              policy), the time the pipeline is compared with.
# The zones use the default policy (no review, NSEC, ECDSA P-256). Every size gets a stack of its own, started
# from an empty state directory, so each service's peak memory belongs to that zone alone.
#
# Usage: bench/pipeline.sh [--sizes example,10000,100000,1000000] [--changes 5] [--timeout 1800] [--keep-stack]
# The size "example" is examples/zones/example.test.zone (the small zone of the issue's 1 s target) instead of a
# generated zone.
# Needs: `make build` (service jars, the CLI, Kafka and registry builds), python3, dig, dnssec-keygen.
# Writes below bench/work/pipeline/ (gitignored); the table also goes to bench/work/pipeline/results.md.
set -euo pipefail

BENCH="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
REPO="$(cd "$BENCH/.." && pwd)"
WORK="$BENCH/work/pipeline"
CLI="$REPO/bin/cascade"

SIZES="10000,100000,1000000"
CHANGES=5
TIMEOUT=1800
KEEP_STACK=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --sizes) SIZES="$2"; shift 2 ;;
    --changes) CHANGES="$2"; shift 2 ;;
    --timeout) TIMEOUT="$2"; shift 2 ;;
    --keep-stack) KEEP_STACK=1; shift ;;
    *) echo "pipeline.sh: unknown option $1" >&2; exit 2 ;;
  esac
done

for cmd in python3 dig dnssec-keygen; do
  command -v "$cmd" >/dev/null || { echo "pipeline.sh: $cmd is missing" >&2; exit 1; }
done
[[ -x $CLI ]] || { echo "pipeline.sh: $CLI missing; run make build" >&2; exit 1; }

SERVICES=(loader keymanager signer publisher review-gateway)
mkdir -p "$WORK"
RESULTS="$WORK/results.md"
log() { printf '[pipeline %s] %s\n' "$(date +%T)" "$*" >&2; }
now() { date +%s.%N; }
elapsed() { python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.2f}')" "$1" "$2"; }

# The serial served for a zone on the publication port, or nothing.
served_serial() { dig +tries=1 +time=2 @127.0.0.1 -p 4542 "$1" SOA +short 2>/dev/null | awk 'NF >= 7 {print $3}'; }

# Waits until the zone is served with a serial other than $2 (empty: any serial); fails after TIMEOUT seconds.
await_serial_change() {
  local zone=$1 old=$2 start=$SECONDS serial
  while :; do
    serial=$(served_serial "$zone")
    if [[ -n $serial && $serial != "$old" ]]; then echo "$serial"; return 0; fi
    if (( SECONDS - start > TIMEOUT )); then
      log "$zone: no new serial after $TIMEOUT s"; "$CLI" zone status "$zone" >&2 || true; return 1
    fi
    sleep 0.1
  done
}

# VmHWM (peak RSS) of a running service (its first instance), in KiB.
peak_kib() {
  local pid
  pid=$(<"$STATE/pids/$1-1.pid")
  awk '/^VmHWM:/ {print $2}' "/proc/$pid/status"
}

median() { python3 -c "import statistics, sys; v = sorted(map(float, sys.argv[1:])); print(f'{statistics.median(v):.2f} ({v[0]:.2f}-{v[-1]:.2f})')" "$@"; }

# The offline signer on the same zone, with keys made like the default policy's (ECDSA P-256 KSK and ZSK, NSEC).
offline_seconds() {
  local zonefile=$1 origin=$2 keys="$WORK/keys-$3" start end
  rm -rf "$keys"; mkdir -p "$keys"
  dnssec-keygen -q -K "$keys" -a ECDSAP256SHA256 -f KSK "$origin" >/dev/null
  dnssec-keygen -q -K "$keys" -a ECDSAP256SHA256 "$origin" >/dev/null
  start=$(now)
  "$CLI" signzone -o "$origin" -f "$WORK/offline-$3.signed" --threads "$(nproc)" "$zonefile" "$keys"/K*.key >/dev/null
  end=$(now)
  rm -f "$WORK/offline-$3.signed"
  elapsed "$start" "$end"
}

{
  echo "| delegations | signed RRs | offline signzone | zone add → served | one change → new serial (median, min-max of $CHANGES) | peak RSS growth per signed RR: loader / signer / publisher |"
  echo "|---|---|---|---|---|---|"
} > "$RESULTS"

IFS=',' read -r -a sizes <<<"$SIZES"
for size in "${sizes[@]}"; do
  if [[ $size == example ]]; then
    origin="example.test."
    zone="example.test"
    zonefile="$WORK/$zone.zone"
    cp "$REPO/examples/zones/example.test.zone" "$zonefile"
  else
    origin="tld$size."
    zone="tld$size"
    zonefile="$WORK/$zone.zone"
    python3 "$BENCH/gen-zone.py" --origin "$origin" "$size" > "$zonefile"
  fi
  offline=$(offline_seconds "$zonefile" "$origin" "$size")
  log "$zone: offline signzone $offline s"

  export CASCADE_STATE_DIR="$WORK/state-$size"
  STATE=$CASCADE_STATE_DIR
  "$REPO/deploy/local/stack.sh" down >/dev/null 2>&1 || true
  rm -rf "$STATE"
  "$REPO/deploy/local/stack.sh" up >&2
  declare -A before=()
  for svc in "${SERVICES[@]}"; do before[$svc]=$(peak_kib "$svc"); done

  start=$(now)
  "$CLI" zone add "$zone" --source "$zonefile" --policy default >/dev/null
  serial=$(await_serial_change "$origin" "")
  added=$(elapsed "$start" "$(now)")
  records=$(dig +tcp +time=60 @127.0.0.1 -p 4542 "$origin" AXFR | grep -cvE '^(;|$)')
  records=$((records - 1))  # the SOA closes the transfer a second time
  log "$zone: served serial $serial after $added s, $records signed RRs"

  times=()
  for i in $(seq 1 "$CHANGES"); do
    # One delegation changes its name servers; the unsigned serial goes up (unix-time serials follow the clock).
    python3 - "$zonefile" "$i" "$origin" <<'PY'
import re, sys
path, i, origin = sys.argv[1], int(sys.argv[2]), sys.argv[3]
lines = open(path).read().split("\n")
for n, line in enumerate(lines):
    m = re.match(r"^(\S+)\s+(\d+\s+)?IN\s+NS\s+(\S+)$", line)
    if m and m.group(1) not in ("@", origin):
        lines[n] = f"{m.group(1)} {m.group(2) or ''}IN NS changed{i}.ns.example.net."
        break
text = "\n".join(lines)
# The serial may sit on the SOA's own line or, in parentheses, on the next one (example.test).
m = re.search(r"SOA\s+\S+\s+\S+\s+\(?\s*(\d+)", text)
text = text[: m.start(1)] + str(int(m.group(1)) + 1) + text[m.end(1):]
open(path, "w").write(text)
PY
    start=$(now)
    "$CLI" zone reload "$zone" >/dev/null
    serial=$(await_serial_change "$origin" "$serial")
    times+=("$(elapsed "$start" "$(now)")")
    log "$zone: change $i served as serial $serial after ${times[-1]} s"
  done

  growth=()
  for svc in loader signer publisher; do
    growth+=("$(python3 -c "import sys; print(round((int(sys.argv[1]) - int(sys.argv[2])) * 1024 / int(sys.argv[3])))" \
      "$(peak_kib "$svc")" "${before[$svc]}" "$records") B")
  done
  row="| $size | $records | $offline s | $added s | $(median "${times[@]}") s | ${growth[0]} / ${growth[1]} / ${growth[2]} |"
  echo "$row" >> "$RESULTS"
  log "$row"
  if [[ $KEEP_STACK == 0 ]]; then "$REPO/deploy/local/stack.sh" down >&2; fi
done

cat "$RESULTS"
