#!/usr/bin/env bash
# Throughput of the pipeline with one and with more signer replicas, side by side in one run (issue 9, targets: "200
# small zones through the pipeline, with 1 and with 2 signer replicas, measured side by side in one run").
#
# For each signer count it starts a fresh local stack (deploy/local/stack.sh in a state directory of its own under
# bench/work/, one broker, one instance of every other service, SIGNER_REPLICAS=n), then measures through the
# gateway's API and the publisher's publication server (port 4542):
#   add      ZONES new zones (default policy: both reviews off; the keymanager makes their keys) until every one is
#            served;
#   reload   every zone's file changed (new serial and three more records) and reloaded, until every one is served at
#            a new serial (the signer's serial policy sets the served serial, not the file).
# and stops the stack. Both phases go through load, key set, signing and publication; "reload" has no key
# generation, so it shows the signing stage more plainly.
#
#   bench/replicas.sh [--zones N] [--signers "1 2"]
#
# Needs the built services and registry (make build) and dig (bind9-dnsutils). The fixed ports of stack.sh allow one
# stack per machine: stop any other first (make down). Compare figures only within one run on a quiet machine.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$REPO"
WORK=$REPO/bench/work/replicas
API=http://127.0.0.1:4539
PUBLICATION_PORT=4542
ZONES=200
SIGNERS="1 2"
# How long one phase may take before the run fails; no official reference, well above what 200 zones take.
BUDGET=${CASCADE_BENCH_WAIT:-900}

while (( $# > 0 )); do
    case $1 in
        --zones) ZONES=$2; shift 2 ;;
        --signers) SIGNERS=$2; shift 2 ;;
        *) echo "usage: $0 [--zones N] [--signers \"1 2\"]" >&2; exit 2 ;;
    esac
done

say() { printf 'replicas: %s\n' "$*" >&2; }
die() { printf 'replicas: ERROR: %s\n' "$*" >&2; exit 1; }
command -v dig > /dev/null || die "dig not found; install it: apt-get install -y bind9-dnsutils"
command -v curl > /dev/null || die "curl not found; install it: apt-get install -y curl"

zone_name() { printf 'z%03d.replicas.test' "$1"; }

# A small zone: apex SOA and NS, a name server, a web server; $3 extra A records make the reloaded version differ.
write_zone() {
    local zone=$1 serial=$2 extra=$3 file=$4 k
    {
        printf '$ORIGIN %s.\n$TTL 3600\n' "$zone"
        printf '@ IN SOA ns1 hostmaster %s 7200 3600 1209600 3600\n' "$serial"
        printf '@ IN NS ns1\nns1 IN A 192.0.2.53\nwww IN A 192.0.2.80\n'
        for (( k = 1; k <= extra; k++ )); do printf 'h%d IN A 192.0.2.%d\n' "$k" "$k"; done
    } > "$file"
}

served_serial() {
    dig +short +time=1 +tries=1 @127.0.0.1 -p "$PUBLICATION_PORT" "$1" SOA 2>/dev/null \
        | awk 'NF >= 7 { print $3; exit }'
}

# The serial each zone was last seen served at (the signer's serial policy sets it, not the file).
declare -A SERVED=()

# Waits until every zone is served at a serial other than the one in SERVED (none at first) and records it; prints
# the seconds since $1 (an $EPOCHREALTIME).
wait_served() {
    local start=$1 i zone serial pending=()
    for (( i = 1; i <= ZONES; i++ )); do pending+=("$(zone_name "$i")"); done
    while (( ${#pending[@]} > 0 )); do
        zone=${pending[0]}
        serial=$(served_serial "$zone")
        if [[ -n $serial && $serial != "${SERVED[$zone]:-}" ]]; then
            SERVED[$zone]=$serial
            pending=("${pending[@]:1}")
            continue
        fi
        awk -v s="$start" -v n="$EPOCHREALTIME" -v b="$BUDGET" 'BEGIN { exit !(n - s < b) }' \
            || die "${#pending[@]} zone(s) not served anew after $BUDGET s, first $zone"
        sleep 0.2
    done
    awk -v s="$start" -v n="$EPOCHREALTIME" 'BEGIN { printf "%.1f\n", n - s }'
}

post() {
    curl -sf -X POST -H 'Content-Type: application/json' -H "Authorization: Bearer $(<"$CASCADE_STATE_DIR/api-token")" \
        --data "${2:-}" "$API$1" > /dev/null \
        || die "POST $1 failed"
}

# One stack with $1 signers: prints "<add seconds> <reload seconds>".
measure() {
    local signers=$1 state=$WORK/signers-$1 i zone start add reload
    rm -rf "$state"
    mkdir -p "$state/zones"
    export CASCADE_STATE_DIR=$state
    say "$signers signer(s): starting the stack in $state"
    REPLICAS=1 BROKERS=1 SIGNER_REPLICAS=$signers deploy/local/stack.sh up > "$state/stack-up.log" 2>&1 \
        || { cat "$state/stack-up.log" >&2; die "the stack did not start"; }
    trap 'deploy/local/stack.sh down > /dev/null 2>&1 || true' EXIT
    for (( i = 1; i <= ZONES; i++ )); do
        zone=$(zone_name "$i")
        write_zone "$zone" 1 0 "$state/zones/$zone.zone"
    done
    start=$EPOCHREALTIME
    for (( i = 1; i <= ZONES; i++ )); do
        zone=$(zone_name "$i")
        post /zone/add "{\"name\":\"$zone\",\"source\":\"$state/zones/$zone.zone\",\"policy\":\"default\"}"
    done
    SERVED=()
    wait_served "$start" > "$state/add.seconds"
    add=$(< "$state/add.seconds")
    say "$signers signer(s): $ZONES zones added and published in $add s"
    for (( i = 1; i <= ZONES; i++ )); do
        zone=$(zone_name "$i")
        write_zone "$zone" 2 3 "$state/zones/$zone.zone"
    done
    start=$EPOCHREALTIME
    for (( i = 1; i <= ZONES; i++ )); do post "/zone/$(zone_name "$i")/reload"; done
    wait_served "$start" > "$state/reload.seconds"
    reload=$(< "$state/reload.seconds")
    say "$signers signer(s): $ZONES zones reloaded and published in $reload s"
    deploy/local/stack.sh down > /dev/null 2>&1
    trap - EXIT
    echo "$add $reload"
}

declare -A FIGURES=()
for n in $SIGNERS; do FIGURES[$n]=$(measure "$n"); done

printf '\n%d small zones through the pipeline (%s, %d cores)\n' "$ZONES" "$(date -u +%F)" "$(nproc)"
printf '%-8s  %12s  %12s  %14s\n' signers "add (s)" "reload (s)" "reload zones/s"
for n in $SIGNERS; do
    read -r add reload <<< "${FIGURES[$n]}"
    rate=$(awk -v z="$ZONES" -v s="$reload" 'BEGIN { printf "%.1f", z / s }')
    printf '%-8s  %12s  %12s  %14s\n' "$n" "$add" "$reload" "$rate"
done
