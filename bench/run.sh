#!/usr/bin/env bash
# Signing benchmark: Cascade (`bin/cascade signzone`) against kzonesign, dnssec-signzone and ldns-signzone.
#
# Generates TLD-like zones (bench/gen-zone.py), makes one KSK and one ZSK (ECDSA P-256, dnssec-keygen) and
# signs every zone with every tool using exactly those keys, each run under /usr/bin/time -v. Every output is
# checked with ldns-verify-zone (and dnssec-verify with --strict). Prints one table plus the raw signing rate
# of the crypto providers on this machine (openssl speed; Bouncy Castle / ACCP via bench/ProviderRate.java).
#
# Usage: bench/run.sh [--sizes 10000,100000] [--threads 1,2] [--denial nsec,nsec3] [--tools LIST]
#                     [--reps N] [--origin tld.] [--seed N] [--strict] [--verify-percent P] [--no-verify]
#                     [--no-provider-rates] [--keep-outputs] [--new-keys] [--append]
#   --tools        subset of cascade,kzonesign,dnssec-signzone,ldns-signzone (default: all)
#   --reps N       run every signing N times and report the run with the median wall time (default 1)
#   --strict       also validate with dnssec-verify (every algorithm signs every RRset; slow)
#   --verify-percent P   ldns-verify-zone -p P: check only P % of the signatures (default 100)
#   --keep-outputs keep the signed zones in bench/work/out (default: removed after validation)
#   --append       keep earlier rows of bench/work/results.tsv (rows of re-run combinations are replaced),
#                  e.g. add Cascade to a finished peer run: --tools cascade --append --no-provider-rates
# 1 M delegations: --sizes 1000000 (about 124 MB of zone; several minutes per tool).
# Everything is written below bench/work/ (gitignored). Results also go to bench/work/results.tsv.
set -euo pipefail

BENCH="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
REPO="$(cd "$BENCH/.." && pwd)"
WORK="$BENCH/work"

SIZES="10000,100000"
THREADS="1,2"
DENIALS="nsec,nsec3"
TOOLS="cascade,kzonesign,dnssec-signzone,ldns-signzone"
REPS=1
ORIGIN="tld."
SEED=1
STRICT=0
VERIFY=1
VERIFY_PCT=100
PROVIDER_RATES=1
KEEP=0
NEW_KEYS=0
APPEND=0

usage() { awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit "${1:-0}"; }
while [[ $# -gt 0 ]]; do
  case "$1" in
    --sizes) SIZES="$2"; shift 2 ;;
    --threads) THREADS="$2"; shift 2 ;;
    --denial|--denials) DENIALS="$2"; shift 2 ;;
    --tools) TOOLS="$2"; shift 2 ;;
    --reps) REPS="$2"; shift 2 ;;
    --origin) ORIGIN="$2"; shift 2 ;;
    --seed) SEED="$2"; shift 2 ;;
    --strict) STRICT=1; shift ;;
    --verify-percent) VERIFY_PCT="$2"; shift 2 ;;
    --no-verify) VERIFY=0; shift ;;
    --no-provider-rates) PROVIDER_RATES=0; shift ;;
    --keep-outputs) KEEP=1; shift ;;
    --new-keys) NEW_KEYS=1; shift ;;
    --append) APPEND=1; shift ;;
    -h|--help) usage 0 ;;
    *) echo "run.sh: unknown argument $1" >&2; usage 2 ;;
  esac
done
[[ "$ORIGIN" == *. ]] || ORIGIN="$ORIGIN."
ZNAME="${ORIGIN%.}"

log() { echo "[$(date -u +%H:%M:%S)] $*" >&2; }
has_tool() { [[ ",$TOOLS," == *",$1,"* ]]; }

# ---- prerequisites --------------------------------------------------------------------------------------
if [[ ! -x /usr/bin/time ]]; then
  log "installing GNU time"
  apt-get install -y -q time >/dev/null || { apt-get update -q >/dev/null && apt-get install -y -q time >/dev/null; }
fi
for cmd in python3 dnssec-keygen ldns-verify-zone; do
  command -v "$cmd" >/dev/null || { echo "run.sh: $cmd not found" >&2; exit 1; }
done
missing_tool() { log "$1 not installed; its rows are skipped"; TOOLS="$(echo ",$TOOLS," | sed "s/,$1,/,/; s/^,//; s/,$//")"; }
has_tool kzonesign && ! command -v kzonesign >/dev/null && missing_tool kzonesign
has_tool kzonesign && ! command -v keymgr >/dev/null && missing_tool kzonesign
has_tool dnssec-signzone && ! command -v dnssec-signzone >/dev/null && missing_tool dnssec-signzone
has_tool ldns-signzone && ! command -v ldns-signzone >/dev/null && missing_tool ldns-signzone
if [[ $STRICT == 1 ]] && ! command -v dnssec-verify >/dev/null; then log "dnssec-verify missing; --strict ignored"; STRICT=0; fi

mkdir -p "$WORK/zones" "$WORK/out" "$WORK/logs" "$WORK/knot"
RESULTS="$WORK/results.tsv"
if [[ $APPEND != 1 || ! -f "$RESULTS" ]]; then : > "$RESULTS"; fi
# drop earlier rows of a combination that is run again
drop_row() { python3 - "$RESULTS" "$@" <<'PY'
import sys
path, tool, denial, size, threads = sys.argv[1:]
rows = [l for l in open(path) if l.split("\t")[:4] != [tool, denial, size, threads]]
open(path, "w").write("".join(rows))
PY
}

# Is `bin/cascade signzone` there yet? (The subcommand prints its own usage when it exists.)
CASCADE_OK=0
CASCADE_WHY=""
if has_tool cascade; then
  if out="$("$REPO/bin/cascade" signzone --help 2>&1)" && grep -qiE 'Usage:.*signzone' <<<"$out"; then
    CASCADE_OK=1
  else
    CASCADE_WHY="$(head -1 <<<"$out")"
    log "bin/cascade signzone not available (${CASCADE_WHY}); Cascade rows are printed as 'not available'"
  fi
fi

# ---- keys: one KSK and one ZSK, used by every tool ---------------------------------------------------------
KEYDIR="$WORK/keys/$ZNAME"
if [[ $NEW_KEYS == 1 ]]; then rm -rf "$KEYDIR"; fi
if ! ls "$KEYDIR"/K"$ORIGIN"+013+*.key >/dev/null 2>&1; then
  mkdir -p "$KEYDIR"
  dnssec-keygen -q -K "$KEYDIR" -a ECDSAP256SHA256 -f KSK "$ORIGIN" >/dev/null
  dnssec-keygen -q -K "$KEYDIR" -a ECDSAP256SHA256 "$ORIGIN" >/dev/null
  log "generated keys in $KEYDIR"
fi
KSK="$(grep -l 'DNSKEY 257 ' "$KEYDIR"/K*.key | head -1)"; KSK="${KSK%.key}"
ZSK="$(grep -l 'DNSKEY 256 ' "$KEYDIR"/K*.key | head -1)"; ZSK="${ZSK%.key}"
log "keys: KSK $(basename "$KSK")  ZSK $(basename "$ZSK")"

# ---- one timed run -----------------------------------------------------------------------------------------
# run_timed <logprefix> cmd...  -> sets R_WALL R_CPU R_RSS_MB R_RC
run_timed() {
  local prefix="$1"; shift
  local t0 t1
  t0=$(date +%s.%N)
  set +e
  /usr/bin/time -v -o "$prefix.time" "$@" >"$prefix.out" 2>"$prefix.err"
  R_RC=$?
  set -e
  t1=$(date +%s.%N)
  R_WALL=$(python3 -c "print('%.3f' % ($t1 - $t0))")
  R_CPU=$(awk -F': ' '/User time \(seconds\)/{u=$2} /System time \(seconds\)/{s=$2} END{printf "%.2f", u+s}' "$prefix.time")
  R_RSS_MB=$(awk -F': ' '/Maximum resident set size/{printf "%.0f", $2/1024}' "$prefix.time")
  if grep -q 'Command exited with non-zero status' "$prefix.time"; then R_RC=1; fi
}

# knot.conf for one (zone file, denial, threads) with its own KASP DB; keys imported from the BIND files.
knot_setup() {
  local dir="$1" zonefile="$2" denial="$3" threads="$4"
  rm -rf "$dir"; mkdir -p "$dir/db" "$dir/out"
  local nsec3="off"; [[ $denial == nsec3 ]] && nsec3="on"
  cat >"$dir/knot.conf" <<EOF
server:
    rundir: "$dir"
database:
    storage: "$dir/db"
    kasp-db: "$dir/db/kasp"
log:
  - target: stderr
    any: warning
policy:
  - id: bench
    manual: on
    algorithm: ecdsap256sha256
    nsec3: $nsec3
    nsec3-iterations: 0
    nsec3-salt-length: 0
    nsec3-opt-out: on
    signing-threads: $threads
zone:
  - domain: $ORIGIN
    file: "$zonefile"
    storage: "$dir/db"
    dnssec-signing: on
    dnssec-policy: bench
    zonefile-load: whole
    journal-content: none
    adjust-threads: $threads
EOF
  keymgr -c "$dir/knot.conf" "$ORIGIN" import-bind "$KSK.key" >/dev/null
  keymgr -c "$dir/knot.conf" "$ORIGIN" import-bind "$ZSK.key" >/dev/null
}

# sign <tool> <size> <denial> <threads> <zonefile> <outfile>; prints the command it runs into the log
sign_cmd() {
  local tool="$1" size="$2" denial="$3" threads="$4" zonefile="$5" out="$6"
  case "$tool" in
    cascade)
      CMD=("$REPO/bin/cascade" signzone -o "$ORIGIN" -f "$out")
      [[ $denial == nsec3 ]] && CMD+=(--nsec3 --opt-out --iterations 0 --salt -)
      CMD+=(--threads "$threads" "$zonefile" "$KSK.key" "$ZSK.key") ;;
    dnssec-signzone)
      CMD=(dnssec-signzone -S -K "$KEYDIR" -d "$(dirname "$out")" -o "$ORIGIN" -f "$out" -n "$threads" -t -P)
      [[ $denial == nsec3 ]] && CMD+=(-3 - -H 0 -A)
      CMD+=("$zonefile") ;;
    ldns-signzone)
      CMD=(ldns-signzone -o "$ORIGIN" -f "$out")
      [[ $denial == nsec3 ]] && CMD+=(-n -a 1 -t 0 -s '' -p)
      CMD+=("$zonefile" "$ZSK" "$KSK") ;;
    kzonesign)
      local kdir="$WORK/knot/$size-$denial-$threads"
      knot_setup "$kdir" "$zonefile" "$denial" "$threads"
      CMD=(kzonesign -c "$kdir/knot.conf" -o "$kdir/out" "$ORIGIN") ;;
  esac
}

IFS=, read -r -a SIZE_LIST <<<"$SIZES"
IFS=, read -r -a THREAD_LIST <<<"$THREADS"
IFS=, read -r -a DENIAL_LIST <<<"$DENIALS"
IFS=, read -r -a TOOL_LIST <<<"cascade,kzonesign,dnssec-signzone,ldns-signzone"

log "machine: $(nproc) CPUs, $(awk '/MemTotal/{printf "%.1f GB", $2/1048576}' /proc/meminfo), load $(cut -d' ' -f1-3 /proc/loadavg)"

for size in "${SIZE_LIST[@]}"; do
  zonefile="$WORK/zones/$ZNAME-$size-s$SEED.zone"
  if [[ ! -s "$zonefile" ]]; then
    log "generating $zonefile"
    python3 "$BENCH/gen-zone.py" --origin "$ORIGIN" --seed "$SEED" -o "$zonefile.tmp" "$size" && mv "$zonefile.tmp" "$zonefile"
  fi
  log "zone $size delegations: $(du -h "$zonefile" | cut -f1), $(python3 "$BENCH/zonestat.py" "$zonefile" | awk '{print $4}') records"
  for denial in "${DENIAL_LIST[@]}"; do
    TOVERIFY=()
    for tool in "${TOOL_LIST[@]}"; do
      has_tool "$tool" || continue
      for threads in "${THREAD_LIST[@]}"; do
        # ldns-signzone has no threads option: one run, listed as 1 thread
        if [[ $tool == ldns-signzone && $threads != "${THREAD_LIST[0]}" ]]; then continue; fi
        tthreads=$threads; [[ $tool == ldns-signzone ]] && tthreads=1
        id="$tool-$size-$denial-$tthreads"
        drop_row "$tool" "$denial" "$size" "$tthreads"
        if [[ $tool == cascade && $CASCADE_OK != 1 ]]; then
          printf '%s\t%s\t%s\t%s\tNA\tNA\tNA\tNA\tnot available\t-\n' "$tool" "$denial" "$size" "$tthreads" >>"$RESULTS"
          continue
        fi
        walls=(); best=""
        for ((rep = 1; rep <= REPS; rep++)); do
          out="$WORK/out/$id.signed"
          rm -f "$out"
          sign_cmd "$tool" "$size" "$denial" "$tthreads" "$zonefile" "$out"
          printf "%q " "${CMD[@]}" >"$WORK/logs/$id.r$rep.cmd"
          log "$id (rep $rep/$REPS): $(cat "$WORK/logs/$id.r$rep.cmd")"
          run_timed "$WORK/logs/$id.r$rep" "${CMD[@]}"
          if [[ $tool == kzonesign && $R_RC == 0 ]]; then
            mv "$WORK/knot/$size-$denial-$tthreads/out/$(basename "$zonefile")" "$out"
          fi
          if [[ $R_RC != 0 || ! -s "$out" ]]; then
            log "$id FAILED (exit $R_RC): $(tail -3 "$WORK/logs/$id.r$rep.err" | tr '\n' ' ')"
            walls+=("FAIL")
            break
          fi
          log "$id: wall ${R_WALL}s cpu ${R_CPU}s rss ${R_RSS_MB}MB"
          walls+=("$R_WALL $R_CPU $R_RSS_MB")
          if [[ $rep -lt $REPS ]]; then rm -f "$out"; fi
        done
        if [[ "${walls[-1]}" == FAIL ]]; then
          printf '%s\t%s\t%s\t%s\tNA\tNA\tNA\tNA\tFAILED (exit %s, see bench/work/logs/%s.*)\t-\n' \
            "$tool" "$denial" "$size" "$tthreads" "$R_RC" "$id" >>"$RESULTS"
          continue
        fi
        # median run by wall time
        read -r mwall mcpu mrss < <(printf '%s\n' "${walls[@]}" | sort -n | awk '{a[NR]=$0} END{print a[int((NR+1)/2)]}')
        read -r sigs nsec nsec3 total < <(python3 "$BENCH/zonestat.py" "$out")
        printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\tPENDING\t%s\n' \
          "$tool" "$denial" "$size" "$tthreads" "$mwall" "$mcpu" "$mrss" "$sigs" "$nsec/$nsec3/$total" >>"$RESULTS"
        TOVERIFY+=("$id")
      done
    done
    # validate this block's outputs after all of its timed runs, in parallel (not overlapping any timing)
    if [[ $VERIFY == 1 && ${#TOVERIFY[@]} -gt 0 ]]; then
      log "validating ${#TOVERIFY[@]} outputs ($size, $denial) with ldns-verify-zone -p $VERIFY_PCT$([[ $STRICT == 1 ]] && echo ' and dnssec-verify')"
      export WORK ORIGIN STRICT VERIFY_PCT
      printf '%s\n' "${TOVERIFY[@]}" | xargs -P "$(nproc)" -I{} bash -c '
        id={}; f="$WORK/out/$id.signed"; v="ldns:ok"
        ldns-verify-zone -p "$VERIFY_PCT" "$f" >"$WORK/logs/$id.verify" 2>&1 || v="ldns:FAIL"
        if [[ $STRICT == 1 ]]; then
          if dnssec-verify -q -o "$ORIGIN" "$f" >"$WORK/logs/$id.bindverify" 2>&1; then v="$v bind:ok"; else v="$v bind:FAIL"; fi
        fi
        echo "$v" >"$WORK/logs/$id.valid"'
    fi
    for id in "${TOVERIFY[@]}"; do
      v="not checked"; [[ -s "$WORK/logs/$id.valid" ]] && v="$(cat "$WORK/logs/$id.valid")"
      [[ $VERIFY == 1 && $VERIFY_PCT != 100 ]] && v="$v(${VERIFY_PCT}%)"
      python3 - "$RESULTS" "$id" "$v" <<'PY'
import sys
path, ident, verdict = sys.argv[1:]
parts = ident.rsplit("-", 3)
tool, size, denial, threads = parts
rows = [l.rstrip("\n").split("\t") for l in open(path)]
for r in rows:
    if r[0] == tool and r[1] == denial and r[2] == size and r[3] == threads and r[8] == "PENDING":
        r[8] = verdict
open(path, "w").write("".join("\t".join(r) + "\n" for r in rows))
PY
      rm -f "$WORK/logs/$id.valid"
      [[ $KEEP == 1 ]] || rm -f "$WORK/out/$id.signed"
    done
  done
done
rm -f "$WORK"/out/dsset-* 2>/dev/null || true
log "load after the signing runs: $(cut -d' ' -f1-3 /proc/loadavg)"

# ---- raw provider rates ------------------------------------------------------------------------------------
RATES=""
if [[ $PROVIDER_RATES == 1 ]]; then
  log "measuring raw ECDSA P-256 signing rates"
  o1="$(openssl speed -seconds 3 ecdsap256 2>/dev/null | awk '/nistp256/{print $(NF-1)}' | head -1)"
  RATES+="openssl speed ecdsap256 ($(openssl version | cut -d' ' -f1-2)), 1 process:   ${o1:-?} sign/s"$'\n'
  if [[ $(nproc) -ge 2 ]]; then
    o2="$(openssl speed -seconds 3 -multi "$(nproc)" ecdsap256 2>/dev/null | awk '/nistp256/{print $(NF-1)}' | tail -1)"
    RATES+="openssl speed ecdsap256, $(nproc) processes:                    ${o2:-?} sign/s"$'\n'
  fi
  LIB="$WORK/lib"
  if ! ls "$LIB"/bcprov-*.jar >/dev/null 2>&1; then
    log "fetching dnssec-core's run-time jars into $LIB"
    mkdir -p "$LIB"
    (cd "$REPO" && { ./mvnw -B -q -o -f dnssec-core/pom.xml dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$LIB" \
        || ./mvnw -B -q -f dnssec-core/pom.xml dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$LIB"; }) >&2 || true
  fi
  if ! ls "$LIB"/AmazonCorrettoCryptoProvider-*.jar >/dev/null 2>&1; then
    (cd "$REPO" && ./mvnw -B -q dependency:copy \
        -Dartifact=software.amazon.cryptools:AmazonCorrettoCryptoProvider:2.5.0:jar:linux-x86_64 -DoutputDirectory="$LIB") >&2 || true
  fi
  CP="$LIB/*"
  core="$(ls "$REPO"/dnssec-core/target/dnssec-core-*.jar 2>/dev/null | grep -v -e sources -e tests | head -1 || true)"
  [[ -n "$core" ]] && CP="$core:$CP"
  if ls "$LIB"/bcprov-*.jar >/dev/null 2>&1; then
    jr="$(cd "$REPO" && java -cp "$CP" "$BENCH/ProviderRate.java" 3 "$(seq -s, 1 "$(nproc)" | sed 's/,$//')" BC,ACCP 2>&1 || true)"
    RATES+="$(sed 's/^/Java: /' <<<"$jr")"$'\n'
  else
    RATES+="Java providers: Bouncy Castle jar not found in $LIB (mvnw dependency:copy-dependencies failed)"$'\n'
  fi
fi

# ---- the table ---------------------------------------------------------------------------------------------
python3 - "$RESULTS" "$CASCADE_WHY" <<'PY'
import sys
path, cascade_why = sys.argv[1], sys.argv[2]
PEERS = ("kzonesign", "dnssec-signzone", "ldns-signzone")
rows = [l.rstrip("\n").split("\t") for l in open(path) if l.strip()]
def num(x):
    try: return float(x)
    except ValueError: return None
# fastest peer per (size, denial, threads); ldns-signzone is single-threaded and competes in every group
fastest = {}
for r in rows:
    tool, denial, size, threads, wall = r[0], r[1], r[2], r[3], num(r[4])
    if tool not in PEERS or wall is None: continue
    if tool == "ldns-signzone":
        groups = {x[3] for x in rows if x[1] == denial and x[2] == size}
    else:
        groups = {threads}
    for t in groups:
        k = (size, denial, t)
        if k not in fastest or wall < fastest[k][0]:
            fastest[k] = (wall, tool)
hdr = ["tool", "denial", "delegations", "threads", "wall s", "CPU s", "peak RSS MB", "signatures", "sig/s", "x fastest peer", "valid"]
out = []
for r in sorted(rows, key=lambda r: (int(r[2]), r[1], int(r[3]), ["cascade", "kzonesign", "dnssec-signzone", "ldns-signzone"].index(r[0]))):
    tool, denial, size, threads, wall, cpu, rss, sigs, valid = r[:9]
    w, s = num(wall), num(sigs)
    f = fastest.get((size, denial, threads))
    if w is None:
        out.append([tool, denial, size, threads, "-", "-", "-", "-", "-", "-", valid])
        continue
    rate = "%.0f" % (s / w) if s and w else "-"
    ratio = "%.2f" % (w / f[0]) if f else "-"
    out.append([tool, denial, size, threads, "%.2f" % w, cpu, rss, sigs, rate, ratio, valid])
widths = [max(len(str(x[i])) for x in out + [hdr]) for i in range(len(hdr))]
right = {2, 3, 4, 5, 6, 7, 8, 9}
def fmt(r): return "  ".join((str(v).rjust(widths[i]) if i in right else str(v).ljust(widths[i])) for i, v in enumerate(r))
print()
print(fmt(hdr)); print("  ".join("-" * w for w in widths))
prev = None
for r in out:
    if prev and (r[1], r[2]) != prev: print()
    prev = (r[1], r[2]); print(fmt(r))
print()
print("x fastest peer = wall / wall of the fastest of kzonesign, dnssec-signzone, ldns-signzone for the same")
print("  delegations, denial and threads (ldns-signzone is single-threaded; its one run counts in every thread group).")
print("NSEC3 = opt-out, 0 iterations, no salt. ldns-signzone -p only sets the opt-out flag; it still covers every")
print("  delegation, hence ~3x the signatures of the others. dnssec-signzone runs with -P (no self-verification).")
print("valid = ldns-verify-zone exit status on the output (bind: dnssec-verify with --strict).")
if cascade_why:
    print("Cascade: bin/cascade signzone not available (" + cascade_why + ").")
PY
if [[ -n "$RATES" ]]; then
  echo
  echo "Raw ECDSA P-256 signing rate on this machine (load now $(cut -d' ' -f1-3 /proc/loadavg)):"
  printf '%s' "$RATES"
fi
echo
echo "Raw results: $RESULTS; commands and tool output: $WORK/logs/"
