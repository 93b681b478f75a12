#!/usr/bin/env bash
# A multi-silo EcgOrleans cluster on this machine: Redis membership and grain state, N silo processes
# on 127.0.0.1 with distinct ports. Stops exactly the processes it started (pid files).
#
#   deploy/local-cluster.sh up N      start redis-server (unless one answers) and silos 1..N
#   deploy/local-cluster.sh down      stop the silos it started, and redis-server if it started it
#   deploy/local-cluster.sh status    what runs
#   deploy/local-cluster.sh term I    stop silo I gracefully (SIGTERM) and print its exit status
#   deploy/local-cluster.sh kill I    kill -9 silo I (fault injection)
#   deploy/local-cluster.sh start I   start silo I alone
#
# Silo I listens on silo port 11110+I, gateway 30000+I-1 and HTTP 8080+I-1 (bases settable below).
# Settings: ECG_REDIS (default 127.0.0.1:6379), ECG_SILO_DLL (a built silo; default: build it in Release),
# ECG_CLUSTER_DIR (pid and log folder; default deploy/.local-cluster), ECG_CLUSTER_ID and ECG_SERVICE_ID (ecg, ecg-orleans: the client's),
# ECG_SILO_PORT_BASE (11110), ECG_GATEWAY_PORT_BASE (30000), ECG_HTTP_PORT_BASE (8080), ECG_TERM_SECONDS (60: how long
# "term" waits for the silo to exit before it writes the silo's threads beside its log and fails).
# ECG_TLS=1: mutual TLS between silos and for clients, with development certificates that deploy/dev-certs.sh
# makes in ECG_TLS_DIR (default: the cluster folder's tls/); clients then need the printed --tls-* options.
# Without it the silo and gateway ports listen on 127.0.0.1 only.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
state="${ECG_CLUSTER_DIR:-$root/deploy/.local-cluster}"
redis="${ECG_REDIS:-127.0.0.1:6379}"
redis_host="${redis%:*}"
redis_port="${redis##*:}"
cluster_id="${ECG_CLUSTER_ID:-ecg}"
service_id="${ECG_SERVICE_ID:-ecg-orleans}"
silo_base="${ECG_SILO_PORT_BASE:-11110}"
gateway_base="${ECG_GATEWAY_PORT_BASE:-30000}"
http_base="${ECG_HTTP_PORT_BASE:-8080}"
tls_dir="${ECG_TLS_DIR:-$state/tls}"
mkdir -p "$state"

# Environment of a silo with TLS: its certificate and the CA its peers must chain to.
tls_env=()
if [ "${ECG_TLS:-0}" = "1" ]; then
  "$root/deploy/dev-certs.sh" "$tls_dir" >&2
  tls_env=("Ecg__Tls__Certificate=$tls_dir/silo.pem" "Ecg__Tls__Key=$tls_dir/silo.key" "Ecg__Tls__Ca=$tls_dir/ca.pem")
fi

silo_dll() {
  if [ -n "${ECG_SILO_DLL:-}" ]; then echo "$ECG_SILO_DLL"; return; fi
  local dll="$root/silo/EcgOrleans.Silo/bin/Release/net10.0/linux-x64/EcgOrleans.Silo.dll"
  dotnet build "$root/silo/EcgOrleans.Silo" -c Release --nologo -v quiet >&2
  echo "$dll"
}

alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

redis_up() { redis-cli -h "$redis_host" -p "$redis_port" ping 2>/dev/null | grep -q PONG; }

start_redis() {
  if redis_up; then return; fi
  command -v redis-server >/dev/null || { echo "redis-server is not installed (apt-get install -y redis-server)" >&2; exit 1; }
  redis-server --bind "$redis_host" --port "$redis_port" --daemonize yes --dir "$state" \
    --pidfile "$state/redis.pid" --logfile "$state/redis.log" --appendonly yes --appendfsync always --save ""
  for _ in $(seq 50); do redis_up && break; sleep 0.1; done
  redis_up || { echo "redis-server did not start; see $state/redis.log" >&2; exit 1; }
  touch "$state/redis.started-here"
}

start_silo() {
  local i="$1" dll="$2"
  if alive "$state/silo-$i.pid"; then echo "silo $i already runs (pid $(cat "$state/silo-$i.pid"))"; return; fi
  # MALLOC_ARENA_MAX=2: bounds the C heap LibTorch's tensors come from (see deploy/Dockerfile).
  rm -f "$state/silo-$i.exit" "$state/silo-$i.pid"
  # The silo runs under a watcher shell that writes its exit status to silo-I.exit (what "term" reports).
  env ${tls_env[@]+"${tls_env[@]}"} MALLOC_ARENA_MAX=2 Ecg__Clustering=redis Ecg__Storage=redis Ecg__Redis="$redis" Ecg__ClusterId="$cluster_id" Ecg__ServiceId="$service_id" \
  Logging__Console__TimestampFormat="HH:mm:ss.fff " Logging__LogLevel__Orleans.Runtime.Silo=Information Logging__LogLevel__Orleans.Runtime.SiloLifecycleSubject=Debug \
  Ecg__SiloPort=$((silo_base + i)) Ecg__GatewayPort=$((gateway_base + i - 1)) Urls="http://127.0.0.1:$((http_base + i - 1))" \
    nohup bash -c 'dotnet "$1" & echo $! >"$2.pid"; wait $!; echo $? >"$2.exit"' _ "$dll" "$state/silo-$i" >"$state/silo-$i.log" 2>&1 &
  for _ in $(seq 50); do [ -s "$state/silo-$i.pid" ] && break; sleep 0.1; done
  echo "silo $i: pid $(cat "$state/silo-$i.pid"), gateway 127.0.0.1:$((gateway_base + i - 1)), http://127.0.0.1:$((http_base + i - 1)), log $state/silo-$i.log"
}

wait_ready() {
  local i="$1"
  for _ in $(seq 600); do
    # Ready: active in the cluster, the model registry answers, the bundled models are uploaded (the gateway
    # opens earlier, before a client could find any model).
    if curl -fsS -o /dev/null "http://127.0.0.1:$((http_base + i - 1))/health/ready" 2>/dev/null; then return 0; fi
    alive "$state/silo-$i.pid" || { echo "silo $i died; see $state/silo-$i.log" >&2; tail -20 "$state/silo-$i.log" >&2; return 1; }
    sleep 0.2
  done
  echo "silo $i is not ready after 120 s" >&2
  return 1
}

stop_pid() {
  local file="$1"
  if alive "$file"; then
    local pid; pid="$(cat "$file")"
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$file"
}

case "${1:-}" in
  up)
    n="${2:?usage: local-cluster.sh up N}"
    start_redis
    dll="$(silo_dll)"
    for i in $(seq 1 "$n"); do start_silo "$i" "$dll"; done
    for i in $(seq 1 "$n"); do wait_ready "$i"; done
    # The ids are ecg's defaults unless ECG_CLUSTER_ID or ECG_SERVICE_ID changed them: then the hint passes them.
    ids=""
    [ "$cluster_id" != "ecg" ] && ids+=" --cluster-id $cluster_id"
    [ "$service_id" != "ecg-orleans" ] && ids+=" --service-id $service_id"
    echo "cluster '$cluster_id' of $n silos is up; connect with: ecg ingest --synthetic --run first --gateway 127.0.0.1:$gateway_base$ids (or --redis $redis$ids)"
    if [ ${#tls_env[@]} -gt 0 ]; then
      echo "with mutual TLS: add --tls-cert $tls_dir/client.pem --tls-key $tls_dir/client.key --tls-ca $tls_dir/ca.pem"
    fi
    ;;
  start)
    i="${2:?usage: local-cluster.sh start I}"
    start_silo "$i" "$(silo_dll)"
    wait_ready "$i"
    ;;
  term)
    # Graceful stop: SIGTERM, then wait for the silo to leave the cluster and exit; prints its exit status.
    i="${2:?usage: local-cluster.sh term I}"
    file="$state/silo-$i.pid"
    alive "$file" || { echo "silo $i does not run" >&2; exit 1; }
    pid="$(cat "$file")"
    kill -TERM "$pid"
    for _ in $(seq "$(( ${ECG_TERM_SECONDS:-60} * 10 ))"); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then
      # What it waits for: managed stacks (dotnet-stack, from the repository's tool manifest: `dotnet tool restore`)
      # and native ones (gdb, when installed), beside its log; the busy managed threads also to stderr.
      (cd "$root" && timeout 60 dotnet tool run dotnet-stack report -p "$pid") >"$state/silo-$i.stacks" 2>&1 || true
      if command -v gdb >/dev/null; then timeout 60 gdb -p "$pid" -batch -ex "thread apply all bt" >"$state/silo-$i.native-stacks" 2>&1 || true; fi
      {
        echo "silo $i still runs ${ECG_TERM_SECONDS:-60} s after SIGTERM (threads in $state/silo-$i.stacks)"
        echo "--- the end of its log:"; tail -n 12 "$state/silo-$i.log"
        echo "--- its managed threads, idle pool threads left out:"
        awk 'BEGIN {RS = ""} !/WorkerThreadStart|GateThreadStart|FileSystemWatcher|WaitForSocketEvents|WaitForConnectionsToClose/' \
          "$state/silo-$i.stacks" | head -n 120
      } >&2
      exit 1
    fi
    for _ in $(seq 50); do [ -s "$state/silo-$i.exit" ] && break; sleep 0.1; done
    rm -f "$file"
    echo "silo $i stopped (SIGTERM), exit status $(cat "$state/silo-$i.exit" 2>/dev/null || echo unknown)"
    ;;
  kill)
    i="${2:?usage: local-cluster.sh kill I}"
    file="$state/silo-$i.pid"
    alive "$file" || { echo "silo $i does not run" >&2; exit 1; }
    kill -9 "$(cat "$file")"
    rm -f "$file"
    echo "silo $i killed (SIGKILL)"
    ;;
  down)
    for file in "$state"/silo-*.pid; do [ -e "$file" ] && stop_pid "$file"; done
    if [ -f "$state/redis.started-here" ]; then
      redis-cli -h "$redis_host" -p "$redis_port" shutdown nosave >/dev/null 2>&1 || stop_pid "$state/redis.pid"
      rm -f "$state/redis.started-here" "$state/redis.pid"
    fi
    echo "cluster down"
    ;;
  status)
    for file in "$state"/silo-*.pid; do
      [ -e "$file" ] || continue
      name="$(basename "$file" .pid)"
      if alive "$file"; then echo "$name: running (pid $(cat "$file"))"; else echo "$name: not running"; fi
    done
    if redis_up; then echo "redis $redis: up"; else echo "redis $redis: down"; fi
    ;;
  *)
    sed -n '2,16p' "$0"
    exit 2
    ;;
esac
