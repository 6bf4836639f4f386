#!/usr/bin/env bash
# The secured Kafka of docker compose's `secured` profile, run in the apache/kafka image.
#
#   compose-secured.sh broker   make a CA and the broker's certificate (once), format the
#                               data directory with the SCRAM users (once), start the node
#   compose-secured.sh acls     grant each launchwatch user the ACLs of compose-acls.txt,
#                               as admin, then exit
#
# The node's client listeners are SASL_SSL only (SCRAM-SHA-512 over TLS): kafka-secured:9092
# inside the compose network, localhost:9095 from the host. The KRaft StandardAuthorizer
# refuses whatever no ACL allows; admin is the only super user. Everything lives in the data
# volume (/var/lib/kafka/data): the CA that clients verify against is ca/ca.pem there,
# readable by any container that mounts the volume.
#
# Environment:
#   LAUNCHWATCH_KAFKA_SCRAM_USERS  name=password,... with admin among them (local passwords
#                                  only: this profile is for trying the secured path out)
set -euo pipefail

data=/var/lib/kafka/data
tls="$data/tls"
bin=/opt/kafka/bin
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cluster_id=Xd0sQ5y7RUm2bTq8rK1vWg

say() { echo "compose-secured.sh: $*" >&2; }
die() { say "$*"; exit 1; }

# scram_password, make_keystores, write_admin_config
# shellcheck source=secured-lib.sh
source "$here/secured-lib.sh"

# A CA, and the broker's key and certificate signed by it for its compose name and for
# localhost (the host's port). Made once: the data volume keeps them.
certificates() {
  [[ -f "$tls/broker.p12" ]] && return 0
  mkdir -p "$tls" "$data/ca"
  chmod 700 "$tls"
  make_keystores "$tls" "$data/ca/ca.pem" "launchwatch compose CA" \
    "SAN=dns:kafka-secured,dns:localhost,ip:127.0.0.1" 365 serverAuth
  chmod 644 "$data/ca/ca.pem"
}

server_config() {
  local secret
  secret="$(cat "$tls/store-password")"
  cat > "$tls/server.properties" <<PROPERTIES
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@localhost:9093
controller.listener.names=CONTROLLER
listeners=INTERNAL://:9092,CONTROLLER://localhost:9093,EXTERNAL://:9095
advertised.listeners=INTERNAL://kafka-secured:9092,EXTERNAL://localhost:9095
listener.security.protocol.map=INTERNAL:SASL_SSL,EXTERNAL:SASL_SSL,CONTROLLER:PLAINTEXT
inter.broker.listener.name=INTERNAL
sasl.enabled.mechanisms=SCRAM-SHA-512
sasl.mechanism.inter.broker.protocol=SCRAM-SHA-512
listener.name.internal.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="admin" password="$(scram_password admin)";
ssl.keystore.location=$tls/broker.p12
ssl.keystore.type=PKCS12
ssl.keystore.password=$secret
ssl.key.password=$secret
ssl.truststore.location=$tls/truststore.p12
ssl.truststore.type=PKCS12
ssl.truststore.password=$secret
authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer
super.users=User:admin;User:ANONYMOUS
allow.everyone.if.no.acl.found=false
log.dirs=$data/logs
auto.create.topics.enable=false
message.max.bytes=8388608
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
PROPERTIES
  chmod 600 "$tls/server.properties"
}

broker() {
  certificates
  write_admin_config "$tls" "$tls/admin.properties"  # for the health check and the ACLs
  server_config
  if [[ ! -f "$data/logs/meta.properties" ]]; then
    local scram=() pair
    IFS=',' read -ra pairs <<<"$LAUNCHWATCH_KAFKA_SCRAM_USERS"
    for pair in "${pairs[@]}"; do
      scram+=(--add-scram "SCRAM-SHA-512=[name=${pair%%=*},password=${pair#*=}]")
    done
    "$bin/kafka-storage.sh" format --config "$tls/server.properties" \
      --cluster-id "$cluster_id" "${scram[@]}"
  fi
  exec "$bin/kafka-server-start.sh" "$tls/server.properties"
}

# One kafka-acls.sh call per line of compose-acls.txt:
#   <user> <topic|group|transactionalId> <literal|prefix> <name> <Operation,Operation>
acls() {
  local user kind pattern name operations
  local -A flags=([topic]=--topic [group]=--group [transactionalId]=--transactional-id)
  local -A patterns=([literal]=literal [prefix]=prefixed)
  while read -r user kind pattern name operations; do
    [[ -z "$user" || "$user" == \#* ]] && continue
    local ops=()
    IFS=',' read -ra list <<<"$operations"
    for op in "${list[@]}"; do ops+=(--operation "$op"); done
    "$bin/kafka-acls.sh" --bootstrap-server kafka-secured:9092 \
      --command-config "$tls/admin.properties" --add --allow-principal "User:$user" \
      "${flags[$kind]}" "$name" --resource-pattern-type "${patterns[$pattern]}" "${ops[@]}" \
      >/dev/null || die "could not grant $user $operations on $kind $name"
  done < "$here/compose-acls.txt"
  say "ACLs granted"
}

case "${1:-}" in
  broker) broker ;;
  acls) acls ;;
  *) die "usage: compose-secured.sh broker|acls" ;;
esac
