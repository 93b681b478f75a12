#!/usr/bin/env bash
# Development certificates for mutual TLS between EcgOrleans silos and clients (README, "Security"):
# one CA, a silo certificate (server and client authentication: silos accept and open links) and a client
# certificate (client authentication only: it opens the gateway, never the silo port). ECDSA P-256.
#
#   deploy/dev-certs.sh DIR     writes DIR/ca.pem, DIR/silo.pem + silo.key, DIR/client.pem + client.key
#
# Certificates already in DIR are kept. For development and tests only: the CA's key stays beside them.
# ECG_CERT_SANS adds subject alternative names to the silo certificate (e.g. "DNS:silo1,IP:172.30.0.11").
set -euo pipefail

dir="${1:?usage: dev-certs.sh DIR}"
command -v openssl >/dev/null || { echo "openssl is not installed (apt-get install -y openssl)" >&2; exit 1; }
mkdir -p "$dir"
cd "$dir"
if [ -s ca.pem ] && [ -s silo.pem ] && [ -s client.pem ]; then exit 0; fi

new_key() {
  (umask 077; openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1")
}

issue() {
  local name="$1" usage="$2" sans="$3"
  new_key "$name.key"
  openssl req -new -key "$name.key" -subj "/CN=ecg-$name" -out "$name.csr"
  printf 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=%s\nsubjectAltName=%s\n' \
    "$usage" "$sans" >"$name.ext"
  openssl x509 -req -in "$name.csr" -CA ca.pem -CAkey ca.key -CAcreateserial -days 825 -sha256 -extfile "$name.ext" -out "$name.pem" 2>/dev/null
  rm -f "$name.csr" "$name.ext"
}

new_key ca.key
openssl req -x509 -new -key ca.key -subj "/CN=EcgOrleans development CA" -days 825 -sha256 -out ca.pem \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign"
issue silo serverAuth,clientAuth "DNS:localhost,IP:127.0.0.1,DNS:ecg-silo${ECG_CERT_SANS:+,$ECG_CERT_SANS}"
issue client clientAuth "DNS:ecg-client"
echo "development certificates in $PWD: ca.pem, silo.pem/silo.key, client.pem/client.key"
