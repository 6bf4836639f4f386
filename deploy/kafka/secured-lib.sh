# What the two secured Kafka nodes have in common, sourced by kafka.sh (the local and test
# node with LAUNCHWATCH_KAFKA_SCRAM_USERS set) and compose-secured.sh (compose's `secured`
# profile): the SCRAM users' passwords, the CA and the broker's certificate made with
# keytool, and the admin's client configuration for Kafka's own tools. Each caller decides
# where the files live and what the names on the certificate are.
#
# Environment:
#   LAUNCHWATCH_KAFKA_SCRAM_USERS  name=password,... with admin among them

# The password of user NAME in LAUNCHWATCH_KAFKA_SCRAM_USERS; fails when NAME is not there.
scram_password() {
  local pair
  IFS=',' read -ra pairs <<<"${LAUNCHWATCH_KAFKA_SCRAM_USERS:?name=password pairs}"
  for pair in "${pairs[@]}"; do
    if [[ "${pair%%=*}" == "$1" ]]; then echo "${pair#*=}"; return 0; fi
  done
  return 1
}

# make_keystores TLS CA_PEM CA_NAME SAN DAYS EKU
#
# A CA named CA_NAME, and the broker's key and certificate signed by it for the names of
# SAN (SAN=dns:NAME,...; the first is the certificate's common name), valid for DAYS with
# the extended key usage EKU. In the existing directory TLS: ca.p12, broker.p12 (key and
# chain), truststore.p12 (the CA) and store-password, the password of all three; the CA's
# certificate, what clients verify against, in PEM at CA_PEM.
make_keystores() {
  local tls="$1" ca_pem="$2" ca_name="$3" san="$4" days="$5" eku="$6" secret
  local broker="${san#SAN=dns:}"
  broker="${broker%%,*}"
  secret="$(head -c 18 /dev/urandom | base64 | tr -d '/+=')"
  echo "$secret" > "$tls/store-password"
  local store=(-storetype PKCS12 -storepass "$secret" -keypass "$secret")
  keytool -genkeypair -alias ca -keyalg RSA -keysize 2048 -validity "$days" \
    -dname "CN=$ca_name" -ext bc:c=ca:true -ext ku:c=keyCertSign,cRLSign \
    -keystore "$tls/ca.p12" "${store[@]}"
  keytool -exportcert -rfc -alias ca -keystore "$tls/ca.p12" "${store[@]}" -file "$ca_pem"
  keytool -genkeypair -alias broker -keyalg RSA -keysize 2048 -validity "$days" \
    -dname "CN=$broker" -ext "$san" -keystore "$tls/broker.p12" "${store[@]}"
  keytool -certreq -alias broker -keystore "$tls/broker.p12" "${store[@]}" \
    | keytool -gencert -alias ca -keystore "$tls/ca.p12" "${store[@]}" -validity "$days" \
      -ext "$san" -ext ku:c=digitalSignature,keyEncipherment -ext "eku=$eku" \
      -rfc -outfile "$tls/broker.pem"
  keytool -importcert -noprompt -alias ca -file "$ca_pem" -keystore "$tls/broker.p12" "${store[@]}"
  keytool -importcert -noprompt -alias broker -file "$tls/broker.pem" \
    -keystore "$tls/broker.p12" "${store[@]}"
  keytool -importcert -noprompt -alias ca -file "$ca_pem" \
    -keystore "$tls/truststore.p12" "${store[@]}"
}

# write_admin_config TLS FILE
#
# The admin's client configuration (SASL_SSL, SCRAM-SHA-512, trusting the CA of the stores
# in TLS) at FILE, readable by its owner only: for the health check, for granting ACLs and
# for Kafka's other tools.
write_admin_config() {
  local tls="$1" file="$2" secret
  secret="$(cat "$tls/store-password")"
  cat > "$file" <<PROPERTIES
security.protocol=SASL_SSL
sasl.mechanism=SCRAM-SHA-512
sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="admin" password="$(scram_password admin)";
ssl.truststore.location=$tls/truststore.p12
ssl.truststore.type=PKCS12
ssl.truststore.password=$secret
PROPERTIES
  chmod 600 "$file"
}
