#!/usr/bin/env bash
# Runs the whole Cascade stack on this machine without Docker: Kafka (KRaft, BROKERS combined broker+controller nodes),
# PostgreSQL (Debian package), the Apicurio Registry 2.4.2 from deploy/local/apicurio, and REPLICAS instances of each
# of the five services as fast-jar JVMs.
#
#   [REPLICAS=N] [BROKERS=M] deploy/local/stack.sh infra-up | services-up | up | down | status | logs <name> [-f]
#
# <SERVICE>_REPLICAS (SIGNER_REPLICAS=2, REVIEW_GATEWAY_REPLICAS=1, ...) overrides REPLICAS for one service, so that a
# benchmark can compare one and two signers with everything else equal (bench/replicas.sh).
# REPLICAS (default 1) and BROKERS (default: what the state dir's Kafka was formatted with, else 1) give the local HA
# stack of issue 9 (make up REPLICAS=2 BROKERS=3): with three brokers or more every topic has three replicas,
# min.insync.replicas=2 and no unclean leader election. Instance i of a service writes pids/<service>-<i>.pid and
# logs/<service>-<i>.log, broker i pids/broker-<i>.pid and logs/broker-<i>.log, also when there is one of each.
#
# All state (data, logs, PID files, the key-encryption key) lives in ${CASCADE_STATE_DIR:-<repo>/.state}, so a second
# checkout or a test run can use its own directory. The fixed ports are those of the design (Kafka 9092/9093,
# PostgreSQL 55432, registry 8089, services 8081-8084 and 4539-4542), so only one stack runs per machine; instance or
# broker i adds 100 x (i - 1) to each of its ports (the second publisher serves publication on 4642, the second
# gateway's API is on 4639, the second broker listens on 9192 and 9193).
# CASCADE_NETNS_INSTANCE=<service>-<i> with CASCADE_NETNS=<namespace> runs that instance in a network namespace, bridged
# to the others' ports (the chaos suite's network partition; see "One instance in a network namespace" below).
# Every "up" step is idempotent: what already runs from this state dir is left alone, never started twice, and what
# is missing (a killed instance or broker) is started.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
STATE=${CASCADE_STATE_DIR:-$REPO/.state}
LOGS=$STATE/logs
PIDS=$STATE/pids

KAFKA_LIB=$REPO/deploy/local/kafka/target/lib
KAFKA_CONFIG=$REPO/deploy/local/kafka/config
REGISTRY_JAR=$REPO/deploy/local/apicurio/registry/target/quarkus-app/quarkus-run.jar

KAFKA_PORT=9092
KAFKA_CONTROLLER_PORT=9093
PG_PORT=55432
REGISTRY_PORT=8089
# Broker or instance i listens on its base port + PORT_STEP x (i - 1). With at most 9 of each, no shifted port meets a
# fixed one: services 8081-8884 and 4539-5342, brokers 9092-9893, registry 8089, PostgreSQL 55432.
PORT_STEP=100
MAX_COUNT=9

# Start order; "down" goes the other way. Ports are the design's (cascade-design.md, "Ports"); SERVICE_PORT is the
# HTTP port (health, and the gateway's operator API), PUBLISHER_DNS_PORTS the publisher's three DNS servers.
SERVICES=(loader keymanager signer publisher review-gateway)
declare -A SERVICE_PORT=([loader]=8081 [keymanager]=8082 [signer]=8083 [publisher]=8084 [review-gateway]=4539)
declare -A PUBLISHER_DNS_PORTS=([UNSIGNED_REVIEW]=4540 [SIGNED_REVIEW]=4541 [PUBLICATION]=4542)

REPLICAS=${REPLICAS:-1}
[[ $REPLICAS =~ ^[1-9]$ ]] || { echo "stack: ERROR: REPLICAS must be 1 to $MAX_COUNT, not '$REPLICAS'" >&2; exit 2; }
# The instance count of service $1: its <SERVICE>_REPLICAS, else REPLICAS.
replicas_of() {
    local var count
    var=$(tr 'a-z-' 'A-Z_' <<< "$1")_REPLICAS
    count=${!var:-$REPLICAS}
    [[ $count =~ ^[1-9]$ ]] || { echo "stack: ERROR: $var must be 1 to $MAX_COUNT, not '$count'" >&2; exit 2; }
    echo "$count"
}
for svc in "${SERVICES[@]}"; do replicas_of "$svc" > /dev/null; done
# BROKERS is settled by kafka_settle (it may come from the state dir); the bootstrap list follows it.
BROKERS_ASKED=${BROKERS:-}
BROKERS=1

REGISTRY_URL=http://127.0.0.1:$REGISTRY_PORT/apis/registry/v2
DB_URL=postgresql://127.0.0.1:$PG_PORT/cascade

# Start-up budgets. Measured: Kafka 4.6 s, PostgreSQL 1.7 s, registry 2-9 s, a service 3-6 s on an idle 2-core
# machine (stack-notes §1a, §2a, §4, §8); the budgets leave room for a machine busy with builds.
KAFKA_WAIT=90
PG_WAIT=60
REGISTRY_WAIT=90
SERVICE_WAIT=${CASCADE_SERVICE_WAIT:-180}

# Heap sizes: the broker's from stack-notes §1a; the registry's and the services' from the design brief.
KAFKA_JAVA_OPTS=${CASCADE_KAFKA_JAVA_OPTS:--Xms128m -Xmx512m -XX:+UseSerialGC}
REGISTRY_JAVA_OPTS=${CASCADE_REGISTRY_JAVA_OPTS:--Xmx128m -XX:+UseSerialGC -XX:TieredStopAtLevel=1}
# The services that hold whole zone versions get heaps that hold a 1 M-delegation zone (bench/pipeline.sh): the
# loader parses it, the signer holds the unsigned and the signed version while it signs, the publisher holds the
# signed version compactly on its servers. The JVM only takes what it uses, so small zones stay light.
# CASCADE_SERVICE_JAVA_OPTS, if set, replaces all of them.
declare -A SERVICE_HEAP=([loader]=2g [keymanager]=256m [signer]=6g [publisher]=2g [review-gateway]=256m)
# The publisher's heap is kept close to what it holds: what it keeps (zone pages of 4 MiB) outlives many collections
# and what it drops (messages, transfers) is small. The serial collector's defaults, a third of the heap for the young
# generation and 40 % of the old one kept free after a collection (MinHeapFreeRatio), took 311 bytes of RSS per signed
# RR with a 1 M-delegation zone whose pages are about 80 (bench/pipeline.sh); a 96 MB young generation gave 158,
# these settings 121. The signer likewise: 356 bytes per signed RR with the defaults, 309 with these (its young
# generation larger, for the garbage of a full signing).
declare -A SERVICE_JVM_EXTRA=([publisher]="-Xmn96m -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30"
  [signer]="-Xmn512m -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30")
service_java_opts() {
  echo "${CASCADE_SERVICE_JAVA_OPTS:--Xmx${SERVICE_HEAP[$1]} ${SERVICE_JVM_EXTRA[$1]:-} -XX:+UseSerialGC}"
}

say() { printf 'stack: %s\n' "$*"; }
die() { printf 'stack: ERROR: %s\n' "$*" >&2; exit 1; }

usage() {
    cat <<EOF
usage: [REPLICAS=N] [BROKERS=M] $(basename "$0") <command>
  infra-up        start the Kafka brokers, PostgreSQL and the Apicurio registry, and create the topics
  services-up     start REPLICAS instances of each of the five services (needs infra-up and built jars)
  up              infra-up, then services-up; starts only what is not running
  down            stop everything this script started (services, registry, Kafka, PostgreSQL)
  status          show what runs
  logs <name> [-f] print (or follow) a log: postgres, registry, broker-<i>, <service>-<i>, or kafka / <service> for
                  the first (services: ${SERVICES[*]})
state directory: $STATE
EOF
}

# ---------------------------------------------------------------------------------------------------------------
# Processes

port_open() { (echo > "/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Port of instance or broker $2 whose first one uses port $1.
nth_port() { echo $(( $1 + PORT_STEP * ($2 - 1) )); }

# The instance numbers of <prefix>-<i>.pid files present, ascending: what a former "up" started, whatever REPLICAS or
# BROKERS says now, so "down" and "status" see all of it.
pid_instances() {
    local prefix=$1 file
    for file in "$PIDS/$prefix"-*.pid; do
        [[ -e $file ]] || continue
        file=${file##*/$prefix-}
        [[ ${file%.pid} =~ ^[0-9]+$ ]] && echo "${file%.pid}"
    done | sort -n
}

pid_file() { echo "$PIDS/$1.pid"; }

# A PID file is trusted only if that process still runs and its command line still carries the marker we started it
# with: after a reboot or a crash the PID may belong to an unrelated process, which "down" must never kill.
running_pid() {
    local name=$1 marker=$2 file pid
    file=$(pid_file "$name")
    [[ -f $file ]] || return 1
    pid=$(<"$file")
    [[ $pid =~ ^[0-9]+$ ]] || return 1
    kill -0 "$pid" 2>/dev/null || return 1
    # A process in the middle of its exec (spawn's inner shell becoming the command) shows no command line for a
    # moment: look once more before taking it for another process (a bridge was once declared dead that way).
    if ! tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$marker"; then
        sleep 0.1
        tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$marker" || return 1
    fi
    echo "$pid"
}

# Starts a command detached from this shell (its own session, so Ctrl-C on "make" or the end of the calling
# shell does not take the stack down) and records the PID of the process that execs the command.
spawn() {
    local name=$1 workdir=$2; shift 2
    local log=$LOGS/$name.log pidf
    pidf=$(pid_file "$name")
    rm -f "$pidf"
    printf '\n===== %s start %s =====\n' "$name" "$(date -u +%FT%TZ)" >> "$log"
    # The inner shell writes its own PID and then execs the command, so the PID file names the JVM itself.
    setsid bash -c 'echo $$ > "$1"; cd "$2"; shift 2; exec "$@"' spawn "$pidf" "$workdir" "$@" \
        >> "$log" 2>&1 < /dev/null &
    local i
    for i in $(seq 1 50); do [[ -s $pidf ]] && return 0; sleep 0.1; done
    die "$name: no PID file after 5 s (see $log)"
}

# Waits until a TCP port accepts connections while the process still runs; on failure shows the log's tail.
wait_port() {
    local name=$1 marker=$2 port=$3 budget=$4 start=$SECONDS
    until port_open "$port"; do
        if ! running_pid "$name" "$marker" > /dev/null; then
            tail -n 30 "$LOGS/$name.log" >&2 || true
            die "$name exited before port $port opened (log: $LOGS/$name.log)"
        fi
        (( SECONDS - start < budget )) || { tail -n 30 "$LOGS/$name.log" >&2 || true; die "$name: port $port not open after ${budget} s"; }
        sleep 0.2
    done
    say "$name up on port $port after $(( SECONDS - start )) s"
}

# SIGTERM lets Kafka and the Quarkus services shut down cleanly (Kafka flushes its logs, services commit offsets);
# SIGKILL only after the grace period.
stop_pid() {
    local name=$1 marker=$2 grace=${3:-30} pid
    if ! pid=$(running_pid "$name" "$marker"); then
        rm -f "$(pid_file "$name")"
        return 0
    fi
    say "stopping $name (pid $pid)"
    kill -TERM "$pid" 2>/dev/null || true
    local waited=0
    while kill -0 "$pid" 2>/dev/null; do
        if (( waited >= grace * 10 )); then
            say "$name did not stop within ${grace} s; killing it"
            kill -KILL "$pid" 2>/dev/null || true
            break
        fi
        sleep 0.1
        waited=$(( waited + 1 ))
    done
    rm -f "$(pid_file "$name")"
}

# Refuses to start next to a process this script does not own that already holds one of our ports (for example a
# stack from another state dir): the new process would die on bind, or the clients would talk to the wrong one.
require_free_port() {
    local name=$1 port=$2
    port_open "$port" && die "$name: port $port is already in use by a process not started from $STATE"
    return 0
}

# ---------------------------------------------------------------------------------------------------------------
# Kafka: BROKERS KRaft nodes, each broker and controller in one process, data under the state dir (stack-notes §1a)

KAFKA_DIR=$STATE/kafka
# Formatting fixes the controller quorum, so the broker count is recorded next to the data and kept.
KAFKA_COUNT_FILE=$KAFKA_DIR/brokers

broker_dir() { echo "$KAFKA_DIR/broker-$1"; }
broker_marker() { echo "$(broker_dir "$1")/server.properties"; }

# Settles BROKERS: the count asked for, else the one the state dir's Kafka was formatted with, else 1. A different
# count than the formatted one is refused: the controller quorum is written into every node's storage.
kafka_settle() {
    local formatted=
    # A state dir from before the brokers were numbered: its one node's data becomes broker 1's.
    if [[ -f $KAFKA_DIR/data/meta.properties && ! -e $(broker_dir 1) ]]; then
        # Not from under a running broker: the older script's "down" is this one's (it stops pids/kafka.pid).
        if running_pid kafka kafka.Kafka > /dev/null; then
            die "Kafka started by an older stack.sh runs from $KAFKA_DIR/data; stop the stack first: $0 down"
        fi
        mkdir -p "$(broker_dir 1)"
        mv "$KAFKA_DIR/data" "$(broker_dir 1)/data"
        echo 1 > "$KAFKA_COUNT_FILE"
        say "moved the Kafka data of $KAFKA_DIR/data to $(broker_dir 1)/data"
    fi
    [[ -f $KAFKA_COUNT_FILE ]] && formatted=$(<"$KAFKA_COUNT_FILE")
    BROKERS=${BROKERS_ASKED:-${formatted:-1}}
    [[ $BROKERS =~ ^[1-9]$ ]] || die "BROKERS must be 1 to $MAX_COUNT, not '$BROKERS'"
    if [[ -n $formatted && $formatted != "$BROKERS" ]]; then
        die "the Kafka data in $KAFKA_DIR was formatted for $formatted broker(s), not $BROKERS; run with" \
            "BROKERS=$formatted, or start afresh: $0 down && rm -rf $STATE (or another CASCADE_STATE_DIR)"
    fi
    local i list=()
    for (( i = 1; i <= BROKERS; i++ )); do list+=("127.0.0.1:$(nth_port "$KAFKA_PORT" "$i")"); done
    KAFKA_BOOTSTRAP=$(IFS=,; echo "${list[*]}")
}

# Three replicas when there are three brokers or more, acknowledged once two have a write (one broker may be down);
# fewer brokers cannot hold more replicas than there are brokers, nor keep writing with one down and two in sync.
replication_factor() { echo $(( BROKERS < 3 ? BROKERS : 3 )); }
min_insync() { echo $(( BROKERS < 3 ? 1 : 2 )); }

# Broker i's server.properties from the template. One node keeps the dynamic quorum it has always been formatted with
# (--standalone); several form a static quorum of all of them (controller.quorum.voters), formatted alike.
broker_config() {
    local i=$1 dir quorum j voters=()
    dir=$(broker_dir "$i")
    if (( BROKERS == 1 )); then
        quorum="controller.quorum.bootstrap.servers=127.0.0.1:$KAFKA_CONTROLLER_PORT"
    else
        for (( j = 1; j <= BROKERS; j++ )); do voters+=("$j@127.0.0.1:$(nth_port "$KAFKA_CONTROLLER_PORT" "$j")"); done
        quorum="controller.quorum.voters=$(IFS=,; echo "${voters[*]}")"
    fi
    sed -e "s|@LOG_DIRS@|$dir/data|" -e "s|@NODE_ID@|$i|" -e "s|@QUORUM@|$quorum|" \
        -e "s|@PORT@|$(nth_port "$KAFKA_PORT" "$i")|g" \
        -e "s|@CONTROLLER_PORT@|$(nth_port "$KAFKA_CONTROLLER_PORT" "$i")|g" \
        -e "s|@REPLICATION@|$(replication_factor)|g" -e "s|@MIN_ISR@|$(min_insync)|g" \
        "$KAFKA_CONFIG/server.properties" > "$dir/server.properties"
}

kafka_java() {
    # KAFKA_JAVA_OPTS is split into words on purpose: it holds several JVM options.
    echo java $KAFKA_JAVA_OPTS "-Dlog4j2.configurationFile=$KAFKA_CONFIG/log4j2.yaml"
}

kafka_up() {
    kafka_settle
    compgen -G "$KAFKA_LIB/kafka_2.13-*.jar" > /dev/null \
        || die "Kafka jars missing in $KAFKA_LIB; run: ./mvnw -B -q -f deploy/local/kafka/pom.xml package (or make build)"
    local i dir cluster_id= started=()
    local -a java
    read -r -a java <<< "$(kafka_java)"
    java+=(-cp "$KAFKA_LIB/*")

    # KRaft storage is formatted once, every node with the same cluster id; formatting again would give a node a new
    # cluster id and lose the topics.
    for (( i = 1; i <= BROKERS; i++ )); do
        dir=$(broker_dir "$i")
        mkdir -p "$dir/data"
        broker_config "$i"
        [[ -f $dir/data/meta.properties ]] && continue
        if [[ -z $cluster_id ]]; then
            # A cluster id is 16 random bytes in URL-safe base64 without padding (what StorageTool random-uuid prints),
            # made here to save a JVM start. One with a leading '-' would read as an option, so draw again.
            while :; do
                cluster_id=$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | cut -c1-22)
                [[ $cluster_id != -* ]] && break
            done
            # A node added to formatted ones would need their id; only a whole cluster is formatted here.
            (( i == 1 )) || die "broker $i has no storage but broker 1 has; start afresh: $0 down && rm -rf $KAFKA_DIR"
        fi
        say "formatting Kafka storage of broker $i in $dir/data (cluster id $cluster_id)"
        local -a format=(kafka.tools.StorageTool format -t "$cluster_id" -c "$dir/server.properties")
        (( BROKERS == 1 )) && format+=(--standalone)
        "${java[@]}" "${format[@]}" >> "$LOGS/broker-$i.log" 2>&1 \
            || { tail -n 20 "$LOGS/broker-$i.log" >&2; die "Kafka storage format of broker $i failed"; }
    done
    echo "$BROKERS" > "$KAFKA_COUNT_FILE"

    # All nodes are started before any is awaited: a controller quorum of several forms only when most of them run.
    for (( i = 1; i <= BROKERS; i++ )); do
        if running_pid "broker-$i" "$(broker_marker "$i")" > /dev/null; then
            say "broker-$i already running"
            continue
        fi
        require_free_port "broker-$i" "$(nth_port "$KAFKA_PORT" "$i")"
        require_free_port "broker-$i controller" "$(nth_port "$KAFKA_CONTROLLER_PORT" "$i")"
        spawn "broker-$i" "$(broker_dir "$i")" "${java[@]}" kafka.Kafka "$(broker_marker "$i")"
        started+=("$i")
    done
    for i in "${started[@]}"; do
        wait_port "broker-$i" "$(broker_marker "$i")" "$(nth_port "$KAFKA_PORT" "$i")" "$KAFKA_WAIT"
    done
}

# The topics of shared-events' Topics catalogue, made as the chart's job-topics makes them (deploy/k8s): 12
# partitions, so that up to 12 instances of a service share out zones; replication and min.insync.replicas by the
# broker count; unlimited retention for facts, contents and dead letters (the log is the source of truth), content
# records at most 1 MiB, progress reports one hour. The services would have the brokers create them on first use
# (auto.create.topics.enable, with the same defaults), but a topic first used while a broker is down could then not
# get its three replicas.
FACT_TOPICS=(cascade.zone-registry.v1 cascade.zone-reviews.v1 cascade.unsigned-versions.v1 cascade.key-sets.v1
    cascade.signed-versions.v1 cascade.published-versions.v1 cascade.loader-dead-letters.v1
    cascade.keymanager-dead-letters.v1 cascade.signer-dead-letters.v1 cascade.publisher-dead-letters.v1
    cascade.review-gateway-dead-letters.v1 cascade.keyset-commands.v1 cascade.zone-halts.v1
    cascade.ds-submissions.v1 cascade.zone-notifies.v1 cascade.notifies-sent.v1)
CONTENT_TOPICS=(cascade.unsigned-content.v1 cascade.signed-content.v1)
PROGRESS_TOPICS=(cascade.load-progress.v1 cascade.sign-progress.v1 cascade.publish-progress.v1 cascade.roll-checks.v1)
# Keyed by name, not zone, and compacted: the latest fact of each TSIG key is the key (Topics.TSIG_KEYS).
COMPACTED_TOPICS=(cascade.tsig-keys.v1)
TOPIC_PARTITIONS=12

topics_up() {
    local t args=()
    for t in "${FACT_TOPICS[@]}"; do args+=("$t:retention.ms=-1,retention.bytes=-1"); done
    for t in "${CONTENT_TOPICS[@]}"; do args+=("$t:retention.ms=-1,retention.bytes=-1,max.message.bytes=1048588"); done
    for t in "${PROGRESS_TOPICS[@]}"; do args+=("$t:retention.ms=3600000,segment.ms=3600000"); done
    for t in "${COMPACTED_TOPICS[@]}"; do args+=("$t:cleanup.policy=compact,retention.ms=-1,retention.bytes=-1"); done
    local -a java
    read -r -a java <<< "$(kafka_java)"
    # The source launcher compiles the one file on the fly: no build step, and the broker's jars hold the admin client.
    "${java[@]}" -cp "$KAFKA_LIB/*" "$REPO/deploy/local/kafka/src/CreateTopics.java" "$KAFKA_BOOTSTRAP" \
        "$TOPIC_PARTITIONS" "$(replication_factor)" "$(min_insync)" "${args[@]}" 2>> "$LOGS/topics.log" \
        | sed 's/^/stack: /' || die "the topics could not be created (log: $LOGS/topics.log)"
}

kafka_down() {
    local i
    # A state dir of an older stack.sh names its one node kafka.pid.
    stop_pid kafka kafka.Kafka 60 &
    # Together, not one after another: a node left alone without a controller quorum waits for it to stop cleanly.
    # Kafka's controlled shutdown takes a few seconds; a kill would force log recovery on the next start.
    for i in $(pid_instances broker); do stop_pid "broker-$i" "$(broker_marker "$i")" 60 & done
    wait
}

# ---------------------------------------------------------------------------------------------------------------
# PostgreSQL from the Debian package, initdb/pg_ctl as user postgres (stack-notes §2a)

PG_DIR=$STATE/postgres
PG_DATA=$PG_DIR/data
PG_LOG=$PG_DIR/server.log

pg_bin() {
    local bin
    bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
    [[ -n $bin && -x $bin/pg_ctl ]] || die "PostgreSQL server binaries not found; install them: apt-get install -y postgresql"
    echo "$bin"
}

# PostgreSQL refuses to run as root, so as root every server command runs as the package's "postgres" user;
# an ordinary user runs it as themself.
as_pg() {
    if (( EUID == 0 )); then runuser -u postgres -- "$@"; else "$@"; fi
}

pg_running() { [[ -f $PG_DATA/PG_VERSION ]] && as_pg "$(pg_bin)/pg_ctl" -D "$PG_DATA" status > /dev/null 2>&1; }

pg_up() {
    local bin
    bin=$(pg_bin)
    if pg_running; then say "postgres already running"; return 0; fi
    command -v psql > /dev/null || die "psql not found; install it: apt-get install -y postgresql"
    require_free_port postgres "$PG_PORT"

    # The data directory and the server log belong to the server's user; a log file in a root-owned directory
    # fails with "Permission denied" (stack-notes §2a), so both live in a directory of its own.
    if (( EUID == 0 )); then
        install -d -o postgres -g postgres -m 700 "$PG_DIR"
        as_pg test -w "$PG_DIR" || die "user postgres cannot reach $PG_DIR (a parent directory is not searchable by others); set CASCADE_STATE_DIR elsewhere"
    else
        install -d -m 700 "$PG_DIR"
    fi

    if [[ ! -f $PG_DATA/PG_VERSION ]]; then
        say "initialising PostgreSQL cluster in $PG_DATA"
        # Trust on the loopback listener only: a throw-away local cluster, reachable from this machine alone.
        # The services still send user "cascade" with password "cascade", as in a real deployment.
        as_pg "$bin/initdb" -D "$PG_DATA" -U postgres --auth=trust -E UTF8 --no-sync > "$PG_DIR/initdb.log" 2>&1 \
            || { cat "$PG_DIR/initdb.log" >&2; die "initdb failed"; }
    fi

    # fsync and friends off: local data is disposable and this keeps the write-heavy service tables cheap.
    # TCP only (no Unix socket): every client here connects to 127.0.0.1, and no socket file can clash in /tmp.
    local start=$SECONDS
    as_pg "$bin/pg_ctl" -D "$PG_DATA" -l "$PG_LOG" -w -t "$PG_WAIT" \
        -o "-p $PG_PORT -c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
        start > /dev/null || { tail -n 20 "$PG_LOG" >&2 || true; die "PostgreSQL did not start (log: $PG_LOG)"; }
    say "postgres up on port $PG_PORT after $(( SECONDS - start )) s"

    # Database "cascade" owned by role "cascade" (password "cascade"), created only once.
    local psql=(psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres)
    if [[ -z $("${psql[@]}" -tAc "SELECT 1 FROM pg_roles WHERE rolname = 'cascade'") ]]; then
        "${psql[@]}" -c "CREATE ROLE cascade LOGIN PASSWORD 'cascade'"
    fi
    if [[ -z $("${psql[@]}" -tAc "SELECT 1 FROM pg_database WHERE datname = 'cascade'") ]]; then
        "${psql[@]}" -c "CREATE DATABASE cascade OWNER cascade"
        say "created database cascade (owner cascade)"
    fi
}

pg_down() {
    [[ -f $PG_DATA/PG_VERSION ]] || return 0
    pg_running || return 0
    say "stopping postgres"
    # "fast" rolls back open transactions and disconnects clients instead of waiting for them.
    as_pg "$(pg_bin)/pg_ctl" -D "$PG_DATA" -m fast -w stop > /dev/null
}

# ---------------------------------------------------------------------------------------------------------------
# Apicurio Registry 2.4.2 (stack-notes §4)

registry_up() {
    # The schemas of a new build are registered even when the registry already runs.
    if running_pid registry "$REGISTRY_JAR" > /dev/null; then
        say "registry already running"; registry_rule; return 0
    fi
    [[ -f $REGISTRY_JAR ]] \
        || die "registry jar missing: $REGISTRY_JAR; run: ./mvnw -B -q -f deploy/local/apicurio/pom.xml package -DskipTests (or make build)"
    require_free_port registry "$REGISTRY_PORT"
    mkdir -p "$STATE/registry"
    # The registry's H2 database is kept in a file next to the Kafka data instead of in memory: the records on the
    # topics carry registry content ids, and after a restart an empty registry would hand out the same ids again for
    # other schemas, so old records would be read with the wrong schema.
    spawn registry "$STATE/registry" env HTTP_PORT="$REGISTRY_PORT" REGISTRY_DATASOURCE_URL="jdbc:h2:file:$STATE/registry/registry_db" \
        java $REGISTRY_JAVA_OPTS -Dquarkus.http.host=127.0.0.1 -jar "$REGISTRY_JAR"
    wait_port registry "$REGISTRY_JAR" "$REGISTRY_PORT" "$REGISTRY_WAIT"
    # The port opens before the REST layer and storage are ready; the system info call needs both.
    local start=$SECONDS
    until curl -fsS -o /dev/null "$REGISTRY_URL/system/info" 2>/dev/null; do
        (( SECONDS - start < REGISTRY_WAIT )) || die "registry: $REGISTRY_URL/system/info not answering (log: $LOGS/registry.log)"
        sleep 0.2
    done
    registry_rule
}

# The deploy step (issue 9), as compose and the chart run it: the global compatibility rule FULL_TRANSITIVE (every
# new version of an event schema must read, and be read by, every older one, since a replay reads the log from its
# first record), then every event schema; the services register none themselves. Idempotent. It runs from a service's
# fast-jar libraries, which hold shared-events and the registry's serde (lib/boot has the logging they need).
registry_rule() {
    local lib=$REPO/services/review-gateway/target/quarkus-app/lib
    [[ -d $lib/main ]] || die "$lib missing; the schema registration runs from it: build first (make build)"
    java -Djava.util.logging.manager=org.jboss.logmanager.LogManager -cp "$lib/boot/*:$lib/main/*" \
        dev.cascade.events.registry.RegisterSchemas --registry "$REGISTRY_URL" \
        || die "registry: the compatibility rule or the event schemas could not be registered (see above)"
}

# The other deploy step (issue 9), as compose and the chart run it: one database role per service, cascade_<service>,
# owner of its schema and of nothing else; a schema an earlier stack made as role "cascade" is handed over. The
# cluster trusts loopback connections (initdb --auth=trust), so the passwords are nominal here: each service's is
# "<service>-local", as in compose. Idempotent; run before the services start.
db_roles() {
    local lib=$REPO/services/review-gateway/target/quarkus-app/lib svc
    [[ -d $lib/main ]] || die "$lib missing; the database roles are provisioned from it: build first (make build)"
    local -a env=(DB_ADMIN_PASSWORD=)
    for svc in "${SERVICES[@]}"; do env+=("DB_PASSWORD_$(db_suffix "$svc")=$svc-local"); done
    env "${env[@]}" java -cp "$lib/boot/*:$lib/main/*" dev.cascade.service.database.ProvisionDatabaseRoles \
        --url "jdbc:$DB_URL" --user postgres > "$LOGS/db-roles.log" 2>&1 \
        || { cat "$LOGS/db-roles.log" >&2; die "the services' database roles could not be provisioned (see above)"; }
}

# LOADER, ..., REVIEW_GATEWAY: a service's name as the roles' variables spell it.
db_suffix() { local upper=${1^^}; echo "${upper//-/_}"; }

# ---------------------------------------------------------------------------------------------------------------
# Key-encryption key (design: CASCADE_KEY_ENCRYPTION_KEY, base64 of 32 bytes): private keys for the keymanager and the
# signer, TSIG secrets for the loader, the publisher and review-gateway; so every service gets it

KEK_FILE=$STATE/key-encryption-key

ensure_kek() {
    # Generated once: a new key would make every stored (wrapped) private key unreadable.
    if [[ ! -s $KEK_FILE ]]; then
        (umask 077 && head -c 32 /dev/urandom | base64 -w 0 > "$KEK_FILE")
        say "generated key-encryption key in $KEK_FILE"
    fi
    chmod 600 "$KEK_FILE"
}

# ---------------------------------------------------------------------------------------------------------------
# Operator API token (docs/operations.md, "Authentication and roles"): review-gateway answers only requests with a
# token its tokens file knows. The stack's one token, for the person who runs it with every role, is in
# $STATE/api-token (0600), which bin/cascade reads; the tokens file holds its SHA-256 only.

API_TOKEN_FILE=$STATE/api-token
API_TOKENS_FILE=$STATE/api-tokens

ensure_api_token() {
    # Generated once, like the KEK: a CLI or script that read it keeps working across restarts.
    if [[ ! -s $API_TOKEN_FILE ]]; then
        (umask 077 && head -c 32 /dev/urandom | base64 -w 0 | tr '+/' '-_' | tr -d '=' > "$API_TOKEN_FILE")
        say "generated the operator API token in $API_TOKEN_FILE"
    fi
    chmod 600 "$API_TOKEN_FILE"
    local person
    person=$(id -un 2> /dev/null || echo operator)
    person=${person//[^A-Za-z0-9._@+-]/_}
    [[ $person == policy || $person == hook ]] && person=$person-user
    (umask 077 && printf '# Written by deploy/local/stack.sh: <person> <roles> <sha256 of the token>\n%s %s %s\n' \
        "$person" viewer,operator,approver "$(tr -d '\n' < "$API_TOKEN_FILE" | sha256sum | cut -d' ' -f1)" \
        > "$API_TOKENS_FILE")
}

# ---------------------------------------------------------------------------------------------------------------
# One instance in a network namespace (the chaos suite's network partition, docs/reliability.md)
#
# With CASCADE_NETNS_INSTANCE=<service>-<i> and CASCADE_NETNS=<namespace> (made by the caller, its loopback up), that
# instance runs inside the namespace with every address unchanged. In there, each 127.0.0.1 port it talks to (every
# broker's client port, PostgreSQL, the registry) is a bridge to a Unix socket, which a bridge in this namespace
# forwards to the same port here: a socket file is reached by its path, whatever the network namespace. Its HTTP port
# is bridged the other way, for readiness and the operator. Each bridge is a socat in a session of its own, so that a
# signal to its process group also reaches the child it forks for each connection: SIGSTOP to all of an instance's
# bridges cuts it off, its connections open but nothing passing (a black hole, as a dropped link looks to TCP), and
# SIGCONT heals it.

NETNS=${CASCADE_NETNS:-}
NETNS_INSTANCE=${CASCADE_NETNS_INSTANCE:-}
if [[ -n $NETNS_INSTANCE || -n $NETNS ]]; then
    [[ -n $NETNS_INSTANCE && -n $NETNS ]] || die "CASCADE_NETNS and CASCADE_NETNS_INSTANCE go together"
    [[ ${NETNS_INSTANCE%-*} =~ ^(loader|keymanager|signer)$ && ${NETNS_INSTANCE##*-} =~ ^[1-9]$ ]] \
        || die "CASCADE_NETNS_INSTANCE must be a loader, keymanager or signer instance (<service>-<i>), not" \
            "'$NETNS_INSTANCE': the publisher's DNS (UDP) and the gateway's peers are not bridged"
fi

# Whether something listens on TCP port $2 of 127.0.0.1 in namespace $1 (empty: this one). A listing, not a
# connection: a connection to a bridge would be forwarded.
tcp_listening() {
    local -a in_ns=()
    [[ -n $1 ]] && in_ns=(ip netns exec "$1")
    [[ -n $("${in_ns[@]}" ss -Hltn "sport = :$2") ]]
}

# Starts bridge $1 (its PID file's name) unless it runs: socat from the listening address $4 to $5, in namespace $2
# (empty: this one). $3 is the Unix socket both ends name, the marker of its command line.
bridge_up() {
    local name=$1 ns=$2 socket=$3 listen=$4 connect=$5
    running_pid "$name" "$socket" > /dev/null && return 0
    local -a in_ns=()
    [[ -n $ns ]] && in_ns=(ip netns exec "$ns")
    # A socket file left by a bridge that died would make the new one's bind fail.
    [[ $listen == UNIX-LISTEN:* ]] && rm -f "$socket"
    spawn "$name" "$STATE" "${in_ns[@]}" socat "$listen" "$connect"
    local start=$SECONDS
    local port=${listen#*:}
    port=${port%%,*}
    until if [[ $listen == UNIX-LISTEN:* ]]; then [[ -S $socket ]]; else tcp_listening "$ns" "$port"; fi; do
        running_pid "$name" "$socket" > /dev/null || { tail -n 5 "$LOGS/$name.log" >&2; die "$name exited (log: $LOGS/$name.log)"; }
        (( SECONDS - start < 10 )) || die "$name not listening after 10 s (log: $LOGS/$name.log)"
        sleep 0.1
    done
}

# The bridges of instance $2 of service $1 in namespace NETNS, each started unless it runs. reuseaddr lets a bridge
# started again bind while connections of the one before linger in TIME_WAIT.
netns_bridges_up() {
    local svc=$1 i=$2 name=$1-$2 dir port http ports=()
    [[ -e /run/netns/$NETNS ]] || die "$name: network namespace $NETNS not found (ip netns add $NETNS)"
    command -v socat > /dev/null || die "$name: socat is needed to bridge namespace $NETNS (apt-get install socat)"
    dir=$STATE/netns/$name
    mkdir -p "$dir"
    for (( port = 1; port <= BROKERS; port++ )); do ports+=("$(nth_port "$KAFKA_PORT" "$port")"); done
    ports+=("$PG_PORT" "$REGISTRY_PORT")
    for port in "${ports[@]}"; do
        bridge_up "bridge-$name-$port-host" "" "$dir/$port.sock" "UNIX-LISTEN:$dir/$port.sock,fork" "TCP:127.0.0.1:$port"
        bridge_up "bridge-$name-$port-netns" "$NETNS" "$dir/$port.sock" \
            "TCP-LISTEN:$port,bind=127.0.0.1,reuseaddr,fork" "UNIX-CONNECT:$dir/$port.sock"
    done
    http=$(nth_port "${SERVICE_PORT[$svc]}" "$i")
    bridge_up "bridge-$name-$http-netns" "$NETNS" "$dir/$http.sock" "UNIX-LISTEN:$dir/$http.sock,fork" "TCP:127.0.0.1:$http"
    if ! running_pid "bridge-$name-$http-host" "$dir/$http.sock" > /dev/null; then
        require_free_port "bridge-$name-$http-host" "$http"
        bridge_up "bridge-$name-$http-host" "" "$dir/$http.sock" \
            "TCP-LISTEN:$http,bind=127.0.0.1,reuseaddr,fork" "UNIX-CONNECT:$dir/$http.sock"
    fi
}

# Sends signal $1 to every bridge's process group (the children forked for connections included).
bridges_signal() {
    local file pid
    for file in "$PIDS"/bridge-*.pid; do
        [[ -e $file ]] || continue
        pid=$(<"$file")
        [[ $pid =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null \
            && tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -q socat \
            && kill "-$1" -- "-$pid" 2>/dev/null
    done
    return 0
}

# Stops every bridge with its forked children; a stopped (partitioned) one is continued first, so that it can end.
bridges_down() {
    bridges_signal CONT
    bridges_signal TERM
    rm -f "$PIDS"/bridge-*.pid
    rm -rf "$STATE/netns"
}

# ---------------------------------------------------------------------------------------------------------------
# Services

service_jar() { echo "$REPO/services/$1/target/quarkus-app/quarkus-run.jar"; }

health_ready() { curl -fsS --max-time 5 "http://127.0.0.1:$1/q/health/ready" 2>/dev/null | grep -q '"status" *: *"UP"'; }

# The environment of instance i of a service, one NAME=value a line, beyond what every service gets. Instance 1 gets
# the standard ports; instance i adds PORT_STEP x (i - 1) to each port the service has (Quarkus reads
# QUARKUS_HTTP_PORT and CASCADE_PUBLISHER_*_PORT for quarkus.http.port and cascade.publisher.*-port).
instance_env() {
    local svc=$1 i=$2 name
    echo "CASCADE_INSTANCE=$i"
    echo "QUARKUS_HTTP_PORT=$(nth_port "${SERVICE_PORT[$svc]}" "$i")"
    echo "DB_USER=cascade_${svc//-/_}"
    echo "DB_PASSWORD=$svc-local"
    echo "CASCADE_KEY_ENCRYPTION_KEY=$(<"$KEK_FILE")"
    case $svc in
        keymanager)
            # auto-report checks a roll's propagation on every publisher's publication server (issue 14, item 4).
            local servers=() j
            for (( j = 1; j <= $(replicas_of publisher); j++ )); do
                servers+=("127.0.0.1:$(nth_port "${PUBLISHER_DNS_PORTS[PUBLICATION]}" "$j")")
            done
            echo "CASCADE_PUBLICATION_SERVERS=$(IFS=,; echo "${servers[*]}")" ;;
        publisher)
            for name in "${!PUBLISHER_DNS_PORTS[@]}"; do
                echo "CASCADE_PUBLISHER_${name}_PORT=$(nth_port "${PUBLISHER_DNS_PORTS[$name]}" "$i")"
            done
            # Every publisher serves every zone: each reads all partitions in a group of its own and keeps its own
            # tables. The first keeps the defaults, so a stack of one is what it always was.
            if (( i > 1 )); then echo "CASCADE_GROUP_ID=publisher-$i"; echo "CASCADE_DB_SCHEMA=publisher_$i"; fi ;;
        review-gateway)
            # The projection and the outbox are shared (one group, one schema); the progress board is in memory, so
            # each instance reads every report in a group of its own.
            (( i > 1 )) && echo "CASCADE_PROGRESS_GROUP_ID=review-gateway-progress-$i"
            echo "CASCADE_API_TOKENS_FILE=$API_TOKENS_FILE"
            # Zone status shows operators every publisher's servers.
            local kind var list j
            for kind in UNSIGNED_REVIEW SIGNED_REVIEW PUBLICATION; do
                list=()
                for (( j = 1; j <= $(replicas_of publisher); j++ )); do
                    list+=("127.0.0.1:$(nth_port "${PUBLISHER_DNS_PORTS[$kind]}" "$j")")
                done
                var=CASCADE_${kind}_ADDRESSES
                echo "$var=$(IFS=,; echo "${list[*]}")"
            done ;;
    esac
}

services_up() {
    local svc i missing=()
    for svc in "${SERVICES[@]}"; do [[ -f $(service_jar "$svc") ]] || missing+=("services/$svc/target/quarkus-app/quarkus-run.jar"); done
    (( ${#missing[@]} == 0 )) || die "service jar(s) missing: ${missing[*]}; build them first: make build"

    kafka_settle
    port_open "$KAFKA_PORT" || die "Kafka is not running on $KAFKA_PORT; run: $0 infra-up"
    port_open "$PG_PORT" || die "PostgreSQL is not running on $PG_PORT; run: $0 infra-up"
    port_open "$REGISTRY_PORT" || die "the registry is not running on $REGISTRY_PORT; run: $0 infra-up"
    ensure_kek
    ensure_api_token
    db_roles

    local started=() t0=$SECONDS name
    for svc in "${SERVICES[@]}"; do
        for (( i = 1; i <= $(replicas_of "$svc"); i++ )); do
            name=$svc-$i
            local -a in_ns=()
            if [[ $name == "$NETNS_INSTANCE" ]]; then
                netns_bridges_up "$svc" "$i"
                in_ns=(ip netns exec "$NETNS")
            fi
            if running_pid "$name" "$(service_jar "$svc")" > /dev/null; then say "$name already running"; continue; fi
            # In the namespace, the instance's port here is its bridge's; in there it must be free.
            if (( ${#in_ns[@]} )); then
                ! tcp_listening "$NETNS" "$(nth_port "${SERVICE_PORT[$svc]}" "$i")" \
                    || die "$name: port $(nth_port "${SERVICE_PORT[$svc]}" "$i") is in use in namespace $NETNS"
            else
                require_free_port "$name" "$(nth_port "${SERVICE_PORT[$svc]}" "$i")"
            fi
            # Zone files: the loader and review-gateway read them only from these directories; locally the repository
            # (examples/zones, bench/work) and the state directory (the HA scripts' zones), unless given.
            local -a env=(KAFKA_BOOTSTRAP_SERVERS="$KAFKA_BOOTSTRAP" APICURIO_REGISTRY_URL="$REGISTRY_URL" DB_URL="$DB_URL"
                CASCADE_ZONE_SOURCE_DIRS="${CASCADE_ZONE_SOURCE_DIRS:-$REPO,$STATE}")
            mapfile -t -O "${#env[@]}" env < <(instance_env "$svc" "$i")
            # Working directory = repository root, so relative paths (policies/, zone files given relative) resolve
            # as they do for the CLI run from the root.
            spawn "$name" "$REPO" "${in_ns[@]}" env "${env[@]}" java $(service_java_opts "$svc") -Dquarkus.http.host=127.0.0.1 -jar "$(service_jar "$svc")"
            started+=("$name")
        done
    done

    # Started all at once and awaited in order: the JVMs start in parallel, which is faster even on 2 cores.
    # One budget for the whole group, since they compete for the same CPUs.
    for name in "${started[@]}"; do
        svc=${name%-*} i=${name##*-}
        local port
        port=$(nth_port "${SERVICE_PORT[$svc]}" "$i")
        until health_ready "$port"; do
            if ! running_pid "$name" "$(service_jar "$svc")" > /dev/null; then
                tail -n 40 "$LOGS/$name.log" >&2 || true
                die "$name exited during start-up (log: $LOGS/$name.log)"
            fi
            if (( SECONDS - t0 >= SERVICE_WAIT )); then
                tail -n 40 "$LOGS/$name.log" >&2 || true
                die "$name not ready on http://127.0.0.1:$port/q/health/ready after ${SERVICE_WAIT} s (log: $LOGS/$name.log)"
            fi
            sleep 0.5
        done
        say "$name ready on port $port, $(( SECONDS - t0 )) s after the services were launched"
    done
}

services_down() {
    local i j svc
    # The services do not depend on each other's shutdown, so they stop in parallel (in reverse start order): every
    # instance a PID file names, and the unnumbered PID file of a state dir from an older stack.sh.
    for (( i = ${#SERVICES[@]} - 1; i >= 0; i-- )); do
        svc=${SERVICES[i]}
        stop_pid "$svc" "$(service_jar "$svc")" 30 &
        for j in $(pid_instances "$svc"); do stop_pid "$svc-$j" "$(service_jar "$svc")" 30 & done
    done
    wait
}

# ---------------------------------------------------------------------------------------------------------------
# Commands

prepare_state() {
    mkdir -p "$STATE" "$LOGS" "$PIDS"
    # As root, the postgres user must be able to walk into the state directory to reach its own subdirectory.
    # Only search permission is added, so a shared directory given as CASCADE_STATE_DIR keeps its other bits.
    if (( EUID == 0 )); then chmod a+x "$STATE"; fi
}

infra_up() {
    prepare_state
    kafka_up
    topics_up
    pg_up
    registry_up
}

down() {
    mkdir -p "$PIDS"
    # A partitioned instance is healed first, so that it can leave its group and stop cleanly.
    bridges_signal CONT
    services_down
    bridges_down
    stop_pid registry "$REGISTRY_JAR" 30
    kafka_down
    pg_down
    say "stack down"
}

status() {
    local name pid marker port state svc i n
    kafka_settle
    printf '%-18s %-8s %-6s %s\n' NAME PID PORT STATE
    row() { printf '%-18s %-8s %-6s %s\n' "$1" "$2" "$3" "$4"; }
    # The brokers and instances asked for, and any further one a PID file names (started with a larger count).
    upto() { local last; last=$(pid_instances "$1" | tail -n 1); echo $(( ${last:-0} > $2 ? ${last:-0} : $2 )); }
    n=$(upto broker "$BROKERS")
    for (( i = 1; i <= n; i++ )); do
        name=broker-$i port=$(nth_port "$KAFKA_PORT" "$i")
        if pid=$(running_pid "$name" "$(broker_marker "$i")"); then
            state=running
            port_open "$port" || state="running (port not open)"
        else
            pid=- state=stopped
            port_open "$port" && state="stopped here, but port in use by another process"
        fi
        row "$name" "$pid" "$port" "$state"
    done
    # PostgreSQL is managed by pg_ctl (postmaster.pid in the data directory).
    if pg_running; then
        row postgres "$(head -n 1 "$PG_DATA/postmaster.pid" 2>/dev/null || echo '?')" "$PG_PORT" running
    elif port_open "$PG_PORT"; then
        row postgres - "$PG_PORT" "stopped here, but port in use by another process"
    else
        row postgres - "$PG_PORT" stopped
    fi
    if pid=$(running_pid registry "$REGISTRY_JAR"); then
        state=running
        port_open "$REGISTRY_PORT" || state="running (port not open)"
    else
        pid=- state=stopped
        port_open "$REGISTRY_PORT" && state="stopped here, but port in use by another process"
    fi
    row registry "$pid" "$REGISTRY_PORT" "$state"
    for svc in "${SERVICES[@]}"; do
        marker=$(service_jar "$svc")
        n=$(upto "$svc" "$(replicas_of "$svc")")
        for (( i = 1; i <= n; i++ )); do
            name=$svc-$i port=$(nth_port "${SERVICE_PORT[$svc]}" "$i")
            if pid=$(running_pid "$name" "$marker"); then
                health_ready "$port" && state="running, ready" || state="running, not ready"
            else
                pid=- state=stopped
                port_open "$port" && state="stopped here, but port in use by another process"
            fi
            row "$name" "$pid" "$port" "$state"
        done
    done
    echo "state: $STATE"
}

logs() {
    local name=${1:-} follow=${2:-} file svc
    [[ -n $name ]] || die "usage: $0 logs <name> [-f]"
    # A bare name is the first of its kind.
    case $name in
        kafka) name=broker-1 ;;
        loader|keymanager|signer|publisher|review-gateway) name=$name-1 ;;
    esac
    case $name in
        postgres) file=$PG_LOG ;;
        registry|topics|broker-[1-9]) file=$LOGS/$name.log ;;
        *)
            svc=${name%-*}
            [[ $name == *-[1-9] && " ${SERVICES[*]} " == *" $svc "* ]] \
                || die "unknown log '$name'; one of: postgres registry topics broker-<i> kafka, <service>-<i> or" \
                    "<service> (${SERVICES[*]})"
            file=$LOGS/$name.log ;;
    esac
    [[ -f $file ]] || die "no log yet: $file"
    if [[ $follow == -f ]]; then exec tail -n 100 -f "$file"; else cat "$file"; fi
}

case ${1:-} in
    infra-up) infra_up ;;
    services-up) prepare_state; services_up ;;
    up) infra_up; services_up ;;
    down) down ;;
    status) status ;;
    logs) shift; logs "$@" ;;
    -h|--help|help) usage ;;
    *) usage >&2; exit 2 ;;
esac
