#!/usr/bin/env bash
# Runs the whole Cascade stack on this machine without Docker: Kafka (KRaft, one node), PostgreSQL (Debian package),
# the Apicurio Registry 2.4.2 from deploy/local/apicurio, and the five services as fast-jar JVMs.
#
#   deploy/local/stack.sh infra-up | services-up | up | down | status | logs <name> [-f]
#
# All state (data, logs, PID files, the key-encryption key) lives in ${CASCADE_STATE_DIR:-<repo>/.state}, so a second
# checkout or a test run can use its own directory. The fixed ports are those of the design (Kafka 9092/9093,
# PostgreSQL 55432, registry 8089, services 8081-8084 and 4539), so only one stack runs per machine.
# Every "up" step is idempotent: what already runs from this state dir is left alone, never started twice.
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

# Start order; "down" goes the other way. Ports are the design's (cascade-design.md, "Ports").
SERVICES=(loader keymanager signer publisher review-gateway)
declare -A SERVICE_PORT=([loader]=8081 [keymanager]=8082 [signer]=8083 [publisher]=8084 [review-gateway]=4539)

KAFKA_BOOTSTRAP=127.0.0.1:$KAFKA_PORT
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
service_java_opts() { echo "${CASCADE_SERVICE_JAVA_OPTS:--Xmx${SERVICE_HEAP[$1]} -XX:+UseSerialGC}"; }

say() { printf 'stack: %s\n' "$*"; }
die() { printf 'stack: ERROR: %s\n' "$*" >&2; exit 1; }

usage() {
    cat <<EOF
usage: $(basename "$0") <command>
  infra-up        start Kafka, PostgreSQL and the Apicurio registry
  services-up     start the five services (needs infra-up and built jars)
  up              infra-up, then services-up
  down            stop everything this script started (services, registry, Kafka, PostgreSQL)
  status          show what runs
  logs <name> [-f] print (or follow) a log: kafka, postgres, registry, ${SERVICES[*]}
state directory: $STATE
EOF
}

# ---------------------------------------------------------------------------------------------------------------
# Processes

port_open() { (echo > "/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

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
    tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$marker" || return 1
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
# Kafka: single KRaft node (broker + controller), data under the state dir (stack-notes §1a)

KAFKA_MARKER=kafka.Kafka

kafka_up() {
    if running_pid kafka "$KAFKA_MARKER" > /dev/null; then say "kafka already running"; return 0; fi
    compgen -G "$KAFKA_LIB/kafka_2.13-*.jar" > /dev/null \
        || die "Kafka jars missing in $KAFKA_LIB; run: ./mvnw -B -q -f deploy/local/kafka/pom.xml package (or make build)"
    require_free_port kafka "$KAFKA_PORT"
    require_free_port kafka-controller "$KAFKA_CONTROLLER_PORT"

    local dir=$STATE/kafka
    mkdir -p "$dir/data"
    sed "s|@LOG_DIRS@|$dir/data|" "$KAFKA_CONFIG/server.properties" > "$dir/server.properties"
    # KAFKA_JAVA_OPTS is split into words on purpose: it holds several JVM options.
    local -a java=(java $KAFKA_JAVA_OPTS "-Dlog4j2.configurationFile=$KAFKA_CONFIG/log4j2.yaml" -cp "$KAFKA_LIB/*")

    # KRaft storage is formatted once; formatting again would give the node a new cluster id and lose the topics.
    if [[ ! -f $dir/data/meta.properties ]]; then
        local cluster_id
        # A cluster id is 16 random bytes in URL-safe base64 without padding (what StorageTool random-uuid prints),
        # made here to save a JVM start. One with a leading '-' would read as an option, so draw again.
        while :; do
            cluster_id=$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | cut -c1-22)
            [[ $cluster_id != -* ]] && break
        done
        say "formatting Kafka storage in $dir/data (cluster id $cluster_id)"
        "${java[@]}" kafka.tools.StorageTool format --standalone -t "$cluster_id" -c "$dir/server.properties" \
            >> "$LOGS/kafka.log" 2>&1 || { tail -n 20 "$LOGS/kafka.log" >&2; die "Kafka storage format failed"; }
    fi
    spawn kafka "$dir" "${java[@]}" "$KAFKA_MARKER" "$dir/server.properties"
    wait_port kafka "$KAFKA_MARKER" "$KAFKA_PORT" "$KAFKA_WAIT"
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

# ---------------------------------------------------------------------------------------------------------------
# Key-encryption key for the keymanager and the signer (design: CASCADE_KEY_ENCRYPTION_KEY, base64 of 32 bytes)

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
# Services

service_jar() { echo "$REPO/services/$1/target/quarkus-app/quarkus-run.jar"; }

health_ready() { curl -fsS --max-time 5 "http://127.0.0.1:$1/q/health/ready" 2>/dev/null | grep -q '"status" *: *"UP"'; }

services_up() {
    local svc missing=()
    for svc in "${SERVICES[@]}"; do [[ -f $(service_jar "$svc") ]] || missing+=("services/$svc/target/quarkus-app/quarkus-run.jar"); done
    (( ${#missing[@]} == 0 )) || die "service jar(s) missing: ${missing[*]}; build them first: make build"

    port_open "$KAFKA_PORT" || die "Kafka is not running on $KAFKA_PORT; run: $0 infra-up"
    port_open "$PG_PORT" || die "PostgreSQL is not running on $PG_PORT; run: $0 infra-up"
    port_open "$REGISTRY_PORT" || die "the registry is not running on $REGISTRY_PORT; run: $0 infra-up"
    ensure_kek

    local started=() t0=$SECONDS
    for svc in "${SERVICES[@]}"; do
        if running_pid "$svc" "$(service_jar "$svc")" > /dev/null; then say "$svc already running"; continue; fi
        require_free_port "$svc" "${SERVICE_PORT[$svc]}"
        local -a env=(KAFKA_BOOTSTRAP_SERVERS="$KAFKA_BOOTSTRAP" APICURIO_REGISTRY_URL="$REGISTRY_URL" DB_URL="$DB_URL")
        # Only the two services that wrap and unwrap private keys get the key-encryption key.
        if [[ $svc == keymanager || $svc == signer ]]; then env+=(CASCADE_KEY_ENCRYPTION_KEY="$(<"$KEK_FILE")"); fi
        # Working directory = repository root, so relative paths (policies/, zone files given relative) resolve
        # as they do for the CLI run from the root.
        spawn "$svc" "$REPO" env "${env[@]}" java $(service_java_opts "$svc") -Dquarkus.http.host=127.0.0.1 -jar "$(service_jar "$svc")"
        started+=("$svc")
    done

    # Started all at once and awaited in order: the JVMs start in parallel, which is faster even on 2 cores.
    # One budget for the whole group, since they compete for the same CPUs.
    for svc in "${started[@]}"; do
        local port=${SERVICE_PORT[$svc]}
        until health_ready "$port"; do
            if ! running_pid "$svc" "$(service_jar "$svc")" > /dev/null; then
                tail -n 40 "$LOGS/$svc.log" >&2 || true
                die "$svc exited during start-up (log: $LOGS/$svc.log)"
            fi
            if (( SECONDS - t0 >= SERVICE_WAIT )); then
                tail -n 40 "$LOGS/$svc.log" >&2 || true
                die "$svc not ready on http://127.0.0.1:$port/q/health/ready after ${SERVICE_WAIT} s (log: $LOGS/$svc.log)"
            fi
            sleep 0.5
        done
        say "$svc ready on port $port, $(( SECONDS - t0 )) s after the services were launched"
    done
}

services_down() {
    local i svc
    # The services do not depend on each other's shutdown, so they stop in parallel (in reverse start order).
    for (( i = ${#SERVICES[@]} - 1; i >= 0; i-- )); do
        svc=${SERVICES[i]}
        stop_pid "$svc" "$(service_jar "$svc")" 30 &
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
    pg_up
    registry_up
}

down() {
    mkdir -p "$PIDS"
    services_down
    stop_pid registry "$REGISTRY_JAR" 30
    # Kafka's controlled shutdown takes a few seconds; a kill would force log recovery on the next start.
    stop_pid kafka "$KAFKA_MARKER" 60
    pg_down
    say "stack down"
}

status() {
    local name pid marker port state
    printf '%-15s %-8s %-6s %s\n' NAME PID PORT STATE
    row() { printf '%-15s %-8s %-6s %s\n' "$1" "$2" "$3" "$4"; }
    for name in kafka registry "${SERVICES[@]}"; do
        case $name in
            kafka) marker=$KAFKA_MARKER port=$KAFKA_PORT ;;
            registry) marker=$REGISTRY_JAR port=$REGISTRY_PORT ;;
            *) marker=$(service_jar "$name") port=${SERVICE_PORT[$name]} ;;
        esac
        if pid=$(running_pid "$name" "$marker"); then
            state=running
            if [[ $name == kafka || $name == registry ]]; then
                port_open "$port" || state="running (port not open)"
            else
                health_ready "$port" && state="running, ready" || state="running, not ready"
            fi
        else
            pid=-
            state=stopped
            port_open "$port" && state="stopped here, but port in use by another process"
        fi
        if [[ $name == kafka ]]; then
            row "$name" "$pid" "$port" "$state"
            # PostgreSQL is managed by pg_ctl (postmaster.pid in the data directory), listed after Kafka.
            if pg_running; then
                row postgres "$(head -n 1 "$PG_DATA/postmaster.pid" 2>/dev/null || echo '?')" "$PG_PORT" running
            elif port_open "$PG_PORT"; then
                row postgres - "$PG_PORT" "stopped here, but port in use by another process"
            else
                row postgres - "$PG_PORT" stopped
            fi
        else
            row "$name" "$pid" "$port" "$state"
        fi
    done
    echo "state: $STATE"
}

logs() {
    local name=${1:-} follow=${2:-} file
    [[ -n $name ]] || die "usage: $0 logs <name> [-f]"
    case $name in
        postgres) file=$PG_LOG ;;
        kafka|registry|loader|keymanager|signer|publisher|review-gateway) file=$LOGS/$name.log ;;
        *) die "unknown log '$name'; one of: kafka postgres registry ${SERVICES[*]}" ;;
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
