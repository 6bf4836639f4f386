#!/usr/bin/env bash
# One Apache Kafka node (KRaft, broker and controller) on 127.0.0.1, for local runs
# and tests. The broker comes from Maven Central; nothing else is needed but Java 17.
#
#   kafka.sh fetch    download the broker jars into the cache (once)
#   kafka.sh start    format a fresh data directory, start, wait until it serves;
#                     prints the bootstrap address (127.0.0.1:PORT) as the last line
#   kafka.sh stop     stop it cleanly (SIGTERM, then SIGKILL after a grace period)
#   kafka.sh status   running or stopped, and where
#
# Settings (environment):
#   LAUNCHWATCH_KAFKA_PORT             broker port (default 9092)
#   LAUNCHWATCH_KAFKA_CONTROLLER_PORT  controller port (default 9093)
#   LAUNCHWATCH_KAFKA_DATA_DIR         data directory (default: a new temporary one,
#                                      removed by stop)
#   LAUNCHWATCH_KAFKA_RUN_FILE         where start records the running node, so that
#                                      stop and status find it (default in the cache)
#   LAUNCHWATCH_CACHE_DIR              cache for the jars (default <repo>/.cache)
#   LAUNCHWATCH_KAFKA_HEAP             JVM heap (default 512m)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
version="$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$here/pom.xml")"
cache="${LAUNCHWATCH_CACHE_DIR:-$repo/.cache}"
libs="$cache/kafka-$version/libs"
port="${LAUNCHWATCH_KAFKA_PORT:-9092}"
controller_port="${LAUNCHWATCH_KAFKA_CONTROLLER_PORT:-9093}"
run_file="${LAUNCHWATCH_KAFKA_RUN_FILE:-$cache/kafka-run/$port}"

say() { echo "kafka.sh: $*" >&2; }

fetch() {
  if [[ -f "$libs/.complete" && "$(cat "$libs/.complete")" == "$(sha256sum "$here/pom.xml")" ]]; then
    return 0
  fi
  say "fetching Apache Kafka $version from Maven Central into $libs"
  rm -rf "$libs"
  mkdir -p "$libs"
  mvn --batch-mode --quiet -f "$here/pom.xml" dependency:copy-dependencies \
    -DincludeScope=runtime -DoutputDirectory="$libs"
  sha256sum "$here/pom.xml" > "$libs/.complete"  # a partial download is redone
}

running_pid() {
  [[ -f "$run_file" ]] || return 1
  local pid
  pid="$(sed -n 's/^pid=//p' "$run_file")"
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null && echo "$pid"
}

start() {
  if pid="$(running_pid)"; then
    say "already running (pid $pid)"
    sed -n 's/^bootstrap=//p' "$run_file"
    return 0
  fi
  fetch
  local data owned=no
  if [[ -n "${LAUNCHWATCH_KAFKA_DATA_DIR:-}" ]]; then
    data="$LAUNCHWATCH_KAFKA_DATA_DIR"
    mkdir -p "$data"
  else
    data="$(mktemp -d -t launchwatch-kafka.XXXXXX)"
    owned=yes
  fi
  cat > "$data/server.properties" <<PROPERTIES
process.roles=broker,controller
node.id=1
controller.quorum.bootstrap.servers=127.0.0.1:$controller_port
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$controller_port
advertised.listeners=PLAINTEXT://127.0.0.1:$port
controller.listener.names=CONTROLLER
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
inter.broker.listener.name=PLAINTEXT
log.dirs=$data/logs
num.partitions=3
auto.create.topics.enable=false
offsets.topic.replication.factor=1
offsets.topic.num.partitions=10
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=10
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
message.max.bytes=9437184
PROPERTIES
  cat > "$data/log4j2.yaml" <<LOG4J
Configuration:
  Appenders:
    File:
      name: file
      fileName: "$data/server.log"
      PatternLayout:
        pattern: "[%d] %p %m (%c)%n"
  Loggers:
    Root:
      level: INFO
      AppenderRef:
        - ref: file
LOG4J
  local java=(java "-Xmx${LAUNCHWATCH_KAFKA_HEAP:-512m}" -XX:+UseG1GC
    "-Dlog4j2.configurationFile=$data/log4j2.yaml" -cp "$libs/*")
  local cluster_id
  cluster_id="$("${java[@]}" kafka.tools.StorageTool random-uuid)"
  "${java[@]}" kafka.tools.StorageTool format --standalone --ignore-formatted \
    --cluster-id "$cluster_id" --config "$data/server.properties" > "$data/format.log" 2>&1 \
    || { cat "$data/format.log" >&2; exit 1; }
  local started=$SECONDS
  nohup "${java[@]}" kafka.Kafka "$data/server.properties" > "$data/stdout.log" 2>&1 &
  local pid=$!
  mkdir -p "$(dirname "$run_file")"
  printf 'pid=%s\nbootstrap=127.0.0.1:%s\ndata=%s\nowned=%s\n' \
    "$pid" "$port" "$data" "$owned" > "$run_file"
  # Serving means: the process says it started and the port accepts connections.
  for _ in $(seq 1 600); do
    if ! kill -0 "$pid" 2>/dev/null; then
      say "the broker exited during start-up; last lines of its logs:"
      tail -n 30 "$data/stdout.log" "$data/server.log" >&2 2>/dev/null || true
      rm -f "$run_file"
      exit 1
    fi
    if grep -qs "Kafka Server started" "$data/server.log" \
      && (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      say "Apache Kafka $version serving on 127.0.0.1:$port after $((SECONDS - started))s (pid $pid, data $data)"
      echo "127.0.0.1:$port"
      return 0
    fi
    sleep 0.1
  done
  say "the broker did not serve within 60s; last lines of its log:"
  tail -n 30 "$data/server.log" >&2 2>/dev/null || true
  stop
  exit 1
}

stop() {
  [[ -f "$run_file" ]] || { say "not running"; return 0; }
  local pid data owned
  pid="$(sed -n 's/^pid=//p' "$run_file")"
  data="$(sed -n 's/^data=//p' "$run_file")"
  owned="$(sed -n 's/^owned=//p' "$run_file")"
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid"
    for _ in $(seq 1 200); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then
      say "no clean exit within 20s; killing"
      kill -KILL "$pid" 2>/dev/null || true
    fi
  fi
  [[ "$owned" == yes && -n "$data" ]] && rm -rf "$data"
  rm -f "$run_file"
  say "stopped"
}

status() {
  if pid="$(running_pid)"; then
    echo "running (pid $pid) on $(sed -n 's/^bootstrap=//p' "$run_file")"
  else
    echo "stopped"
  fi
}

case "${1:-}" in
  fetch) fetch ;;
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: $0 fetch|start|stop|status" >&2; exit 2 ;;
esac
