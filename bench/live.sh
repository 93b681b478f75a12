#!/usr/bin/env bash
# Live monitors at real time into one silo process: for each monitor count, a fresh silo, then
# bench/EcgOrleans.Bench.Live (warm-up, N monitors for SECONDS, then the replay pipeline into the same silo) and
# the size of the run's class-map states in Redis.
#
#   bash bench/live.sh [COUNTS (100,1000,3000)] [SECONDS (60)] [MITDB_DIR for the replay (default: synthetic)]
#
# MAX_IN_FLIGHT=N: chunk deliveries the monitors keep going at once (default: ecg simulate's).
# STORAGE=memory runs the silo on in-memory state (no state sizes then); the default is Redis, as a cluster runs.
# Ports: gateway 32300, silo 32301, HTTP 32302, Redis 6396. Logs stay in $ECG_LIVE_DIR (default a new temporary folder).
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
counts="${1:-100,1000,3000}"
seconds="${2:-60}"
data="${3:-}"
storage="${STORAGE:-redis}"
out="${ECG_LIVE_DIR:-$(mktemp -d /tmp/ecg-live-XXXXXX)}"
mkdir -p "$out"
redis_port=6396

echo "CPU: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores; storage $storage; logs in $out"
dotnet build "$root/silo/EcgOrleans.Silo" -c Release --nologo -v quiet >/dev/null
dotnet build "$root/bench/EcgOrleans.Bench.Live" -c Release --nologo -v quiet >/dev/null
bin=net10.0/linux-x64
silo_dll="$root/silo/EcgOrleans.Silo/bin/Release/$bin/EcgOrleans.Silo.dll"
bench_dll="$root/bench/EcgOrleans.Bench.Live/bin/Release/$bin/EcgOrleans.Bench.Live.dll"

silo=""; redis=""
cleanup() {
  [ -n "$silo" ] && kill "$silo" 2>/dev/null || true
  [ -n "$redis" ] && kill "$redis" 2>/dev/null || true
}
trap cleanup EXIT

for n in ${counts//,/ }; do
  silo_env=(Ecg__SiloPort=32301 Ecg__GatewayPort=32300 Urls=http://127.0.0.1:32302 MALLOC_ARENA_MAX=2)
  if [ "$storage" = redis ]; then
    redis-server --port $redis_port --save "" --appendonly no >"$out/redis-$n.log" 2>&1 &
    redis=$!
    for _ in $(seq 50); do redis-cli -p $redis_port ping >/dev/null 2>&1 && break; sleep 0.1; done
    silo_env+=(Ecg__Storage=redis Ecg__Redis=127.0.0.1:$redis_port)
  fi
  env "${silo_env[@]}" dotnet "$silo_dll" >"$out/silo-$n.log" 2>&1 &
  silo=$!
  for _ in $(seq 600); do curl -fs http://127.0.0.1:32302/health/ready >/dev/null 2>&1 && break; kill -0 $silo || break; sleep 0.2; done
  curl -fs http://127.0.0.1:32302/health/ready >/dev/null || { echo "the silo did not become ready; see $out/silo-$n.log" >&2; exit 1; }

  echo "--- $n monitors, $seconds s; load average $(cut -d' ' -f1-3 /proc/loadavg) at start"
  dotnet "$bench_dll" --gateway 127.0.0.1:32300 --http http://127.0.0.1:32302 --silo-pid $silo --monitors "$n" --seconds "$seconds" \
    ${data:+--data "$data"} ${MAX_IN_FLIGHT:+--max-in-flight "$MAX_IN_FLIGHT"} 2>"$out/bench-$n.err" | tee "$out/bench-$n.log"
  run="$(sed -n 's/^RESULT .* run=\([^ ]*\).*/\1/p' "$out/bench-$n.log")"
  if [ "$storage" = redis ]; then
    # Orleans' Redis storage keeps each grain's state as a hash; its 'data' field is the serialised state.
    redis-cli -p $redis_port --scan --pattern "*classmap*$run/*" | while read -r key; do
      echo "$(redis-cli -p $redis_port HSTRLEN "$key" data) ${key##*/$run/}"
    done | sort -k2 > "$out/state-$n.txt"
    echo "  class-map state (Redis 'data' field, every map in $out/state-$n.txt): $(awk 'NR == 1 {min = $1} {n++; t += $1; if ($1 < min) min = $1; if ($1 > max) max = $1}
      END {printf "%d maps, %d to %d bytes each, %d in all", n, min, max, t}' "$out/state-$n.txt")"
    echo "  Redis commands: $(redis-cli -p $redis_port INFO stats | sed -n 's/^total_commands_processed:\(.*\)\r*/\1/p')"
  fi
  echo "  load average $(cut -d' ' -f1-3 /proc/loadavg) at end"
  kill -TERM $silo; wait $silo 2>/dev/null || true; silo=""
  if [ -n "$redis" ]; then kill $redis; wait $redis 2>/dev/null || true; redis=""; fi
done
