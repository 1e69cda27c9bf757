#!/usr/bin/env bash
# Failover figures of the local HA stack (issue 9: "with REPLICAS=2, kill any single instance: every affected zone is
# still published within 30 s; report the median and the maximum over at least 20 faults"). Starts nothing itself:
# run it against "make up REPLICAS=2 BROKERS=3".
#
# Adds a small zone (ha-smoke.test, default policy: both reviews off) and waits until both publishers serve it. Then,
# for each fault, kills one process with SIGKILL, at once changes the zone's serial and reloads it, and measures the
# seconds until every publisher still running serves the new version; then restarts what it killed (stack.sh up
# starts what is missing) before the next fault. The faults, each aimed at the instance the zone depends on:
#   loader           the loader instance holding the zone's partition of cascade.zone-registry.v1
#   keymanager       the keymanager instance holding it (not on a reload's path: its loss must hold nothing up)
#   signer           the signer instance holding the zone's partition of cascade.unsigned-versions.v1
#   review-gateway   the gateway instance holding the zone's partitions (its gates approve the zone's versions); the
#                    reload goes to the other instance's API
#   publisher        publisher instance 1 and 2 in turn, round by round; the zone must be served by the one left
#   broker           Kafka broker 1, 2 and 3 in turn
# Who holds a partition comes from the consumer group's assignment (deploy/local/kafka/src/PartitionHolder.java).
#
#   deploy/local/ha-smoke.sh [--rounds N] [fault ...]
#       (default: one round of signer broker; --rounds repeats the list, e.g. --rounds 4 with all six faults: 24)
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$REPO"
STATE=${CASCADE_STATE_DIR:-$REPO/.state}
PIDS=$STATE/pids
CLI=bin/cascade
ZONE=ha-smoke.test
ZONE_FILE=$STATE/ha-smoke/$ZONE.zone
PUBLICATION_PORTS=(4542 4642)
API_PORTS=(4539 4639)
KAFKA_LIB=$REPO/deploy/local/kafka/target/lib
BOOTSTRAP=127.0.0.1:9092,127.0.0.1:9192,127.0.0.1:9292
# Beyond the issue's 30 s the figure is still measured, up to this budget, and the run fails.
BUDGET=${CASCADE_HA_WAIT:-180}
TARGET=30

say() { printf 'ha-smoke: %s\n' "$*"; }
die() { printf 'ha-smoke: ERROR: %s\n' "$*" >&2; exit 1; }

[[ -x $CLI ]] || die "$CLI missing; build first: make build"
command -v dig > /dev/null || die "dig not found; install it: apt-get install -y bind9-dnsutils"
for f in "$PIDS/publisher-2.pid" "$PIDS/signer-2.pid" "$PIDS/broker-3.pid"; do
    [[ -f $f ]] || die "no $f: start the HA stack first: make up REPLICAS=2 BROKERS=3"
done

# The SOA serial a publisher serves for the zone, or nothing.
served_serial() {
    dig +short +time=1 +tries=1 @127.0.0.1 -p "$1" "$ZONE" SOA 2>/dev/null | awk 'NF >= 7 { print $3; exit }'
}

# Waits until every publisher of LIVE_PORTS serves a serial other than $1 (empty: any serial); prints the seconds
# it took.
LIVE_PORTS=("${PUBLICATION_PORTS[@]}")
wait_published() {
    local old=$1 start=$EPOCHREALTIME port serial done
    while :; do
        done=1
        for port in "${LIVE_PORTS[@]}"; do
            serial=$(served_serial "$port")
            [[ -n $serial && $serial != "$old" ]] || { done=0; break; }
        done
        (( done )) && break
        awk -v s="$start" -v n="$EPOCHREALTIME" -v b="$BUDGET" 'BEGIN { exit !(n - s < b) }' \
            || { echo "timeout"; return 1; }
        sleep 0.2
    done
    awk -v s="$start" -v n="$EPOCHREALTIME" 'BEGIN { printf "%.1f\n", n - s }'
}

write_zone() {
    mkdir -p "${ZONE_FILE%/*}"
    cat > "$ZONE_FILE" <<ZONE
\$ORIGIN $ZONE.
\$TTL 3600
@   IN SOA ns1.$ZONE. hostmaster.$ZONE. ( $1 7200 3600 1209600 3600 )
@   IN NS  ns1.$ZONE.
ns1 IN A   192.0.2.53
www IN A   192.0.2.80
ZONE
}

# The instance of service $1 (consumer group $2) assigned the zone's partition of topic $3; waits out a rebalance.
holder() {
    local i
    for (( i = 0; i < 60; i++ )); do
        java -cp "$KAFKA_LIB/*" deploy/local/kafka/src/PartitionHolder.java "$BOOTSTRAP" "$1" "$2" "$3" "$ZONE." \
            2> /dev/null && return 0
        sleep 1
    done
    return 1
}

rounds=1
if [[ ${1:-} == --rounds ]]; then
    rounds=$2
    shift 2
fi
faults=("$@")
(( ${#faults[@]} > 0 )) || faults=(signer broker)

serial=$(date -u +%s)
if "$CLI" zone status "$ZONE" > /dev/null 2>&1; then
    say "$ZONE already added"
else
    write_zone "$serial"
    "$CLI" zone add "$ZONE" --source "$ZONE_FILE" --policy default > /dev/null
    say "added $ZONE"
fi
say "first publication on both publishers after $(wait_published "") s"

FIGURES=()
n=0
for (( round = 1; round <= rounds; round++ )); do
  for fault in "${faults[@]}"; do
    n=$(( n + 1 ))
    LIVE_PORTS=("${PUBLICATION_PORTS[@]}")
    api=${API_PORTS[0]}
    case $fault in
        loader|keymanager|signer|review-gateway)
            case $fault in
                signer) topic=cascade.unsigned-versions.v1 ;;
                *) topic=cascade.zone-registry.v1 ;;
            esac
            i=$(holder "$fault" "$fault" "$topic") || die "no $fault instance holds $ZONE's partition of $topic"
            victim=$fault-$i
            [[ $fault == review-gateway && $i == 1 ]] && api=${API_PORTS[1]} ;;
        publisher)
            i=$(( (round - 1) % 2 + 1 ))
            victim=publisher-$i
            LIVE_PORTS=("${PUBLICATION_PORTS[@]:$(( 2 - i )):1}") ;;
        broker)
            victim=broker-$(( (round - 1) % 3 + 1 )) ;;
        *) die "unknown fault '$fault' (loader, keymanager, signer, review-gateway, publisher, broker)" ;;
    esac
    old=$(served_serial "${LIVE_PORTS[0]}")
    pid=$(<"$PIDS/$victim.pid")
    say "fault $n ($fault): kill -9 $victim (pid $pid), then reload $ZONE (served serial $old)"
    kill -KILL "$pid"
    serial=$(( $(date -u +%s) > serial ? $(date -u +%s) : serial + 1 ))
    write_zone "$serial"
    "$CLI" -s "127.0.0.1:$api" zone reload "$ZONE" > /dev/null
    took=$(wait_published "$old") || took=timeout
    FIGURES+=("$fault $victim $took")
    say "fault $n ($fault): new version served by ${#LIVE_PORTS[@]} publisher(s) after $took s"
    REPLICAS=${REPLICAS:-2} deploy/local/stack.sh up > "$STATE/ha-smoke/restart-$victim.log" 2>&1 \
        || { tail -n 20 "$STATE/ha-smoke/restart-$victim.log" >&2; die "stack.sh up failed after $fault"; }
    say "restarted $victim"
  done
done

# Median and maximum of the figures of fault $1 ("all": every figure); fails on a timeout or a figure over the target.
summary() {
    printf '%s\n' "${FIGURES[@]}" | awk -v kind="$1" '$1 == kind || kind == "all" { print $3 }' | sort -n \
        | awk -v kind="$1" -v target=$TARGET '
            $1 == "timeout" { timeouts++; next }
            { t[++n] = $1 }
            END {
                median = n == 0 ? 0 : (n % 2 ? t[(n + 1) / 2] : (t[n / 2] + t[n / 2 + 1]) / 2)
                printf "  %-16s %3d faults  median %5.1f s  max %5.1f s%s\n", kind, n + timeouts, median, t[n],
                    timeouts ? "  (" timeouts " over the " '"$BUDGET"' " s budget)" : ""
                exit (timeouts > 0 || t[n] > target)
            }'
}

say "every fault (fault, instance killed, seconds):"
printf '  %s\n' "${FIGURES[@]}"
say "figures (target: every affected zone published within $TARGET s):"
failed=0
for fault in $(printf '%s\n' "${faults[@]}" | sort -u); do
    summary "$fault" || failed=1
done
summary all || failed=1
exit "$failed"
