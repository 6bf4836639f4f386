#!/usr/bin/env bash
# One Apache Kafka node (KRaft: broker and controller in one process) on 127.0.0.1,
# for local runs and tests. The broker comes from Maven Central as plain jars; Java 17
# and Maven are all it needs.
#
#   kafka.sh fetch    download the broker jars into the cache (once; fast when cached)
#   kafka.sh start    format a data directory, start the node, wait until it serves;
#                     prints the bootstrap address 127.0.0.1:PORT as the last line
#   kafka.sh stop     stop it cleanly (SIGTERM, SIGKILL after 20 s); no error if stopped
#   kafka.sh status   running or stopped, and the bootstrap address
#
# Settings (environment):
#   LAUNCHWATCH_KAFKA_PORT             client port (default 9092)
#   LAUNCHWATCH_KAFKA_CONTROLLER_PORT  KRaft controller port (default 9093)
#   LAUNCHWATCH_KAFKA_DATA_DIR         data directory, kept by stop (default: a new
#                                      temporary directory, removed by stop)
#   LAUNCHWATCH_KAFKA_RUN_FILE         where start records the running node for stop and
#                                      status (default <cache>/kafka-run/PORT)
#   LAUNCHWATCH_KAFKA_HEAP             JVM heap (default 512m)
#   LAUNCHWATCH_KAFKA_START_TIMEOUT    seconds to wait for the node to serve (default 60)
#   LAUNCHWATCH_CACHE_DIR              cache for the jars (default <repo>/.cache)
#
# Secured mode: when LAUNCHWATCH_KAFKA_SCRAM_USERS is set (name=password,name=password,...,
# with a user named admin among them), the client port is a SASL_SSL listener instead:
# SCRAM-SHA-512 over TLS, with a CA and the broker's certificate made by keytool at start
# (the CA is <data>/tls/ca.pem, what clients verify against), the users created when the
# data directory is formatted, and the KRaft StandardAuthorizer: nobody but admin (and the
# controller listener) may do anything without an ACL; <data>/admin.properties is the
# admin's client configuration for Kafka's own tools. The node then serves no PLAINTEXT
# client listener at all.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
pom="$here/pom.xml"
version="$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$pom")"
cache="${LAUNCHWATCH_CACHE_DIR:-$repo/.cache}"
libs="$cache/kafka-$version/libs"
port="${LAUNCHWATCH_KAFKA_PORT:-9092}"
controller_port="${LAUNCHWATCH_KAFKA_CONTROLLER_PORT:-9093}"
run_file="${LAUNCHWATCH_KAFKA_RUN_FILE:-$cache/kafka-run/$port}"
scram_users="${LAUNCHWATCH_KAFKA_SCRAM_USERS:-}"
start_timeout="${LAUNCHWATCH_KAFKA_START_TIMEOUT:-60}"

say() { echo "kafka.sh: $*" >&2; }
die() { say "$*"; exit 1; }
need() { command -v "$1" >/dev/null || die "$1 is not installed ($2)"; }

# scram_password, make_keystores, write_admin_config
# shellcheck source=secured-lib.sh
source "$here/secured-lib.sh"

# Milliseconds since the epoch, and the seconds since such a moment, for start-up timings.
now_ms() { local t="${EPOCHREALTIME/[.,]/}"; echo "${t:0:-3}"; }
seconds_since() { local ms=$(($(now_ms) - $1)); printf '%d.%03ds' $((ms / 1000)) $((ms % 1000)); }

fetch() {
  # The marker holds the pom's checksum: a partial download, or a changed pom, is redone.
  local marker="$libs/.complete" sum
  sum="$(sha256sum "$pom" | cut -d' ' -f1)"
  if [[ -f "$marker" && "$(cat "$marker")" == "$sum" ]]; then
    return 0
  fi
  need mvn "apt-get install maven"
  say "fetching Apache Kafka $version from Maven Central into $libs"
  mkdir -p "$(dirname "$libs")"
  local partial
  partial="$(mktemp -d "$libs.partial.XXXXXX")"
  trap 'rm -rf "$partial" "$partial.log"' EXIT
  trap 'exit 1' INT TERM
  if ! mvn --batch-mode --quiet -f "$pom" dependency:copy-dependencies \
    -DoutputDirectory="$partial" >"$partial.log" 2>&1; then
    cat "$partial.log" >&2
    die "downloading the broker failed"
  fi
  echo "$sum" > "$partial/.complete"
  rm -rf "$libs"
  mv "$partial" "$libs"
  trap - EXIT INT TERM
  rm -f "$partial.log"
  say "fetched $(find "$libs" -name '*.jar' | wc -l) jars ($(du -sh "$libs" | cut -f1))"
}

# The state start records: pid=, bootstrap=, data=, owned= lines.
field() { sed -n "s/^$1=//p" "$run_file"; }

# Whether PID is a live Kafka node: a PID can be reused by an unrelated process after
# a crash, and an exited process has an empty command line.
is_kafka() {
  [[ -n "$1" && -r "/proc/$1/cmdline" ]] && tr '\0' ' ' < "/proc/$1/cmdline" | grep -q ' kafka\.Kafka '
}

# The PID of the node the run file describes, if it still runs.
running_pid() {
  [[ -f "$run_file" ]] || return 1
  local pid
  pid="$(field pid)"
  is_kafka "$pid" || return 1
  echo "$pid"
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# True once the node answers a Kafka request on the client port: an ApiVersions v0
# request (correlation id 1) gets a reply carrying that correlation id. The broker
# only processes requests once it has joined the cluster and been unfenced.
answers_requests() {
  (
    exec 3<>"/dev/tcp/127.0.0.1/$port"
    printf '\x00\x00\x00\x0a\x00\x12\x00\x00\x00\x00\x00\x01\xff\xff' >&3
    reply="$(timeout 2 head -c 8 <&3 | od -An -tx1 | tr -d ' \n')"
    [[ "${reply:8:8}" == 00000001 ]]
  ) 2>/dev/null
}

log_tail() {
  local data="$1"
  say "last lines of $data/server.log and $data/stdout.log:"
  tail -n 40 "$data/server.log" >&2 2>/dev/null || true
  tail -n 20 "$data/stdout.log" >&2 2>/dev/null || true
}

# A test CA, the broker's key and certificate signed by it (for 127.0.0.1 and localhost),
# and a truststore holding the CA, all in DATA/tls. Made once per data directory.
make_certificates() {
  local tls="$1/tls"
  [[ -f "$tls/broker.p12" ]] && return 0
  need keytool "apt-get install openjdk-17-jre-headless"
  mkdir -p "$tls"
  make_keystores "$tls" "$tls/ca.pem" "launchwatch test CA" "SAN=dns:localhost,ip:127.0.0.1" \
    30 serverAuth,clientAuth >"$tls/keytool.log" 2>&1 \
    || { cat "$tls/keytool.log" >&2; die "could not make the test certificates"; }
}

write_config() {
  local data="$1"
  if [[ -n "$scram_users" ]]; then
    write_secured_listeners "$data"
  else
    cat > "$data/server.properties" <<PROPERTIES
# One KRaft node for launchwatch's local runs and tests, reachable on 127.0.0.1 only.
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$controller_port
advertised.listeners=PLAINTEXT://127.0.0.1:$port
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
PROPERTIES
  fi
  cat >> "$data/server.properties" <<PROPERTIES
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$controller_port
controller.listener.names=CONTROLLER
log.dirs=$data/logs

# Topics are created explicitly, with their own partition counts and size limits.
auto.create.topics.enable=false
num.partitions=3
# Compressed article pages: up to 8 MiB per record batch.
message.max.bytes=8388608

# A single node: internal topics with one replica, and few partitions so the first
# consumer group and the first transaction do not wait for 50 to be created.
offsets.topic.replication.factor=1
offsets.topic.num.partitions=10
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=10
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1

# A group's first member is assigned partitions at once instead of after 3 s.
group.initial.rebalance.delay.ms=0
PROPERTIES
  # The broker logs to a file in the data directory, never to the terminal.
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
    Logger:
      - name: kafka.request.logger
        level: WARN
LOG4J
}

# SASL_SSL on the client port (SCRAM-SHA-512 over TLS) with ACLs; the controller listener
# stays PLAINTEXT on 127.0.0.1, its ANONYMOUS principal a super user like admin.
write_secured_listeners() {
  local data="$1" secret
  scram_password admin >/dev/null || die "LAUNCHWATCH_KAFKA_SCRAM_USERS has no admin=PASSWORD"
  make_certificates "$data"
  write_admin_config "$data/tls" "$data/admin.properties"
  secret="$(cat "$data/tls/store-password")"
  cat > "$data/server.properties" <<PROPERTIES
# One secured KRaft node for launchwatch's tests, reachable on 127.0.0.1 only.
listeners=SASL_SSL://127.0.0.1:$port,CONTROLLER://127.0.0.1:$controller_port
advertised.listeners=SASL_SSL://127.0.0.1:$port
inter.broker.listener.name=SASL_SSL
listener.security.protocol.map=SASL_SSL:SASL_SSL,CONTROLLER:PLAINTEXT
sasl.enabled.mechanisms=SCRAM-SHA-512
sasl.mechanism.inter.broker.protocol=SCRAM-SHA-512
listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="admin" password="$(scram_password admin)";
ssl.keystore.location=$data/tls/broker.p12
ssl.keystore.type=PKCS12
ssl.keystore.password=$secret
ssl.key.password=$secret
ssl.truststore.location=$data/tls/truststore.p12
ssl.truststore.type=PKCS12
ssl.truststore.password=$secret
authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer
super.users=User:admin;User:ANONYMOUS
allow.everyone.if.no.acl.found=false
PROPERTIES
  chmod 600 "$data/server.properties"
}

# --add-scram arguments of StorageTool format, one per user.
scram_arguments() {
  local pair
  IFS=',' read -ra pairs <<<"$scram_users"
  for pair in "${pairs[@]}"; do
    printf '%s\0%s\0' --add-scram "SCRAM-SHA-512=[name=${pair%%=*},password=${pair#*=}]"
  done
}

# Whether the node is up: the plain node answers a Kafka request; the secured one has
# logged its start and accepts connections on the client port.
serving() {
  grep -qs "Kafka Server started" "$1/server.log" || return 1
  if [[ -n "$scram_users" ]]; then port_in_use "$port"; else answers_requests; fi
}

start() {
  local begun pid
  begun="$(now_ms)"
  if pid="$(running_pid)"; then
    say "already running (pid $pid)"
    field bootstrap
    return 0
  fi
  if [[ -f "$run_file" ]]; then
    stop 2>/dev/null  # a node that died: forget it and its temporary data
  fi
  need java "apt-get install openjdk-17-jre-headless"
  local p
  for p in "$port" "$controller_port"; do
    if port_in_use "$p"; then
      die "127.0.0.1:$p is in use by another process (set LAUNCHWATCH_KAFKA_PORT and LAUNCHWATCH_KAFKA_CONTROLLER_PORT)"
    fi
  done
  fetch

  local data owned=no
  if [[ -n "${LAUNCHWATCH_KAFKA_DATA_DIR:-}" ]]; then
    data="$LAUNCHWATCH_KAFKA_DATA_DIR"
    mkdir -p "$data"
  else
    data="$(mktemp -d -t launchwatch-kafka.XXXXXX)"
    owned=yes
  fi
  write_config "$data"

  local java=(java "-Xmx${LAUNCHWATCH_KAFKA_HEAP:-512m}" -XX:+UseG1GC
    -XX:+ExitOnOutOfMemoryError -Djava.awt.headless=true
    "-Dlog4j2.configurationFile=$data/log4j2.yaml" -cp "$libs/*")
  # A data directory that is already formatted (LAUNCHWATCH_KAFKA_DATA_DIR reused) keeps
  # its cluster id and its topics.
  if [[ ! -f "$data/logs/meta.properties" ]]; then
    local uuid_output cluster_id
    uuid_output="$("${java[@]}" kafka.tools.StorageTool random-uuid 2>&1)" \
      || { echo "$uuid_output" >&2; die "could not make a cluster id"; }
    cluster_id="$(tail -n 1 <<<"$uuid_output")"
    local scram=()
    if [[ -n "$scram_users" ]]; then mapfile -d '' scram < <(scram_arguments); fi
    "${java[@]}" kafka.tools.StorageTool format --cluster-id "$cluster_id" \
      --config "$data/server.properties" "${scram[@]}" >"$data/format.log" 2>&1 \
      || { cat "$data/format.log" >&2; die "could not format $data"; }
  fi

  # Readiness is read from this run's log only.
  if [[ -f "$data/server.log" ]]; then mv -f "$data/server.log" "$data/server.log.1"; fi
  local launched
  launched="$(now_ms)"
  nohup "${java[@]}" kafka.Kafka "$data/server.properties" \
    </dev/null >"$data/stdout.log" 2>&1 &
  pid=$!
  echo "$pid" > "$data/kafka.pid"
  echo "127.0.0.1:$port" > "$data/bootstrap"
  mkdir -p "$(dirname "$run_file")"
  printf 'pid=%s\nbootstrap=127.0.0.1:%s\ndata=%s\nowned=%s\n' \
    "$pid" "$port" "$data" "$owned" > "$run_file"

  local deadline=$((SECONDS + start_timeout))
  until serving "$data"; do
    if ! kill -0 "$pid" 2>/dev/null; then
      log_tail "$data"
      rm -f "$run_file"
      die "the broker exited during start-up (data in $data)"
    fi
    if ((SECONDS >= deadline)); then
      log_tail "$data"
      stop >/dev/null 2>&1
      die "the broker did not serve within ${start_timeout}s"
    fi
    sleep 0.1
  done
  say "Apache Kafka $version serving on 127.0.0.1:$port in $(seconds_since "$begun")" \
    "(broker process $(seconds_since "$launched"); pid $pid, data $data)"
  echo "127.0.0.1:$port"
}

stop() {
  if [[ ! -f "$run_file" ]]; then
    say "not running"
    return 0
  fi
  local pid data owned
  data="$(field data)"
  owned="$(field owned)"
  if pid="$(running_pid)"; then
    kill -TERM "$pid" 2>/dev/null || true
    local waited=0
    while is_kafka "$pid" && ((waited < 200)); do
      sleep 0.1
      waited=$((waited + 1))
    done
    if is_kafka "$pid"; then
      say "no clean exit within 20s; killing pid $pid"
      kill -KILL "$pid" 2>/dev/null || true
      for _ in {1..50}; do is_kafka "$pid" || break; sleep 0.1; done
    fi
  fi
  if [[ "$owned" == yes && -n "$data" ]]; then
    rm -rf "$data"
  fi
  rm -f "$run_file"
  say "stopped"
}

status() {
  local pid
  if pid="$(running_pid)"; then
    echo "running (pid $pid) on $(field bootstrap), data $(field data)"
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
