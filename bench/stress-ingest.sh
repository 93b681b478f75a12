#!/usr/bin/env bash
# Parallel ingest under stress: all 48 MIT-BIH records with `ecg ingest --parallel 8`, N times into one silo process
# and M times into a three-silo cluster (deploy/local-cluster.sh, Redis). Every run's class counts per reference
# class must equal the AAMI counts that `ecg beats` reads from the annotations; a native error, a failed ingest, a
# silo that dies or repeats LibTorch's warnings fails the script. Ends with SIGTERM to every silo (exit 0 expected).
#
#   bash bench/stress-ingest.sh [SINGLE_RUNS (10)] [CLUSTER_RUNS (3)]
#
# MIT-BIH comes from $ECG_MITDB (default ../shared/data/mitdb beside the repository). Ports: 32100+ for the single
# silo, 32200+ and Redis 6393 for the cluster. Logs stay in $ECG_STRESS_DIR (default a new temporary folder).
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
data="${ECG_MITDB:-$root/../shared/data/mitdb}"
single_runs="${1:-10}"
cluster_runs="${2:-3}"
out="${ECG_STRESS_DIR:-$(mktemp -d /tmp/ecg-stress-XXXXXX)}"
mkdir -p "$out"
[ -f "$data/100.hea" ] || { echo "MIT-BIH not found in $data (set ECG_MITDB)" >&2; exit 1; }

echo "CPU: $(lscpu | sed -n 's/^Model name: *//p'); logs in $out"
dotnet build "$root/client/EcgOrleans.Client" -c Release --nologo -v quiet >/dev/null
dotnet build "$root/silo/EcgOrleans.Silo" -c Release --nologo -v quiet >/dev/null
bin=net10.0/linux-x64
ecg=(dotnet "$root/client/EcgOrleans.Client/bin/Release/$bin/ecg.dll")
silo_dll="$root/silo/EcgOrleans.Silo/bin/Release/$bin/EcgOrleans.Silo.dll"

expected="$("${ecg[@]}" beats --data "$data" --split all --json | python3 -c 'import json,sys; print(json.dumps(json.load(sys.stdin)["total"]["counts"]))')"
echo "expected reference counts: $expected"

failures=0

# ingest_and_check LABEL RUN CLUSTER-ARGS...: one ingest of all 48 records, then the run's reference counts.
ingest_and_check() {
  local label="$1" run="$2"; shift 2
  local started=$SECONDS status=0
  "${ecg[@]}" ingest --data "$data" --split all --parallel 8 --run "$run" "$@" >"$out/$run.ingest.log" 2>&1 &
  local ingest=$!
  # A client waits out a silo that is gone (it may come back); here a dead silo is the failure to report.
  while kill -0 $ingest 2>/dev/null; do
    if ! silos_alive; then
      kill $ingest 2>/dev/null; wait $ingest 2>/dev/null || true
      echo "$label: a silo died mid-ingest (see the silo logs in $out)"; failures=$((failures + 1)); return 1
    fi
    sleep 1
  done
  wait $ingest || status=$?
  if [ "$status" -ne 0 ]; then
    echo "$label: ingest failed (exit $status); see $out/$run.ingest.log"; tail -5 "$out/$run.ingest.log"; failures=$((failures + 1)); return
  fi
  local counts
  counts="$("${ecg[@]}" maps --run "$run" --grouping reference --json "$@" 2>"$out/$run.maps.err" | python3 -c '
import json, sys
maps = json.load(sys.stdin)["runs"][0]["maps"]
print(json.dumps({c: next((m["count"] for m in maps if m["class"] == c), 0) for c in "NSVFQ"}))')"
  if [ "$counts" = "$expected" ]; then
    echo "$label: exact in $((SECONDS - started)) s  $counts"
  else
    echo "$label: WRONG counts $counts"; failures=$((failures + 1))
  fi
  if grep -qiE "Scalar|toFloat|native|THSTensor" "$out/$run.ingest.log"; then
    echo "$label: native error in the client's output"; failures=$((failures + 1))
  fi
}

# check_log FILE LABEL: no native error in a silo's log, LibTorch's NNPACK warning at most once.
check_log() {
  local nnpack; nnpack="$(grep -c "NNPACK" "$1" || true)"
  if grep -qE "toFloat|Unknown scalar type|THSTensor_" "$1"; then echo "$2: native error in its log ($1)"; failures=$((failures + 1)); fi
  if [ "$nnpack" -gt 1 ]; then echo "$2: LibTorch's NNPACK warning $nnpack times"; failures=$((failures + 1)); fi
}

# silos_alive: every silo process of the current stage runs (pids in $silo_pids).
silo_pids=""
silos_alive() { for p in $silo_pids; do kill -0 "$p" 2>/dev/null || return 1; done; }

# --- one silo process -------------------------------------------------------------------------------------------
gateway=32100
Ecg__SiloPort=32101 Ecg__GatewayPort=$gateway Urls="http://127.0.0.1:32102" MALLOC_ARENA_MAX=2 \
  dotnet "$silo_dll" >"$out/silo.log" 2>&1 &
silo=$!
silo_pids=$silo
for _ in $(seq 600); do curl -fs "http://127.0.0.1:32102/health/ready" >/dev/null 2>&1 && break; kill -0 $silo || break; sleep 0.2; done
curl -fs "http://127.0.0.1:32102/health/ready" >/dev/null || { echo "the silo did not become ready; see $out/silo.log" >&2; kill $silo; exit 1; }
for i in $(seq 1 "$single_runs"); do
  ingest_and_check "one silo, run $i/$single_runs" "stress-one-$i" --gateway "127.0.0.1:$gateway" || break
done
kill -TERM $silo 2>/dev/null || true
status=0; wait $silo || status=$?
echo "one silo: exit status $status after SIGTERM"; [ "$status" -eq 0 ] || failures=$((failures + 1))
check_log "$out/silo.log" "one silo"

# --- three silos on Redis ---------------------------------------------------------------------------------------
if [ "$cluster_runs" -gt 0 ]; then
  export ECG_CLUSTER_DIR="$out/cluster" ECG_REDIS=127.0.0.1:6393 ECG_CLUSTER_ID=ecg-stress ECG_SILO_DLL="$silo_dll"
  export ECG_SILO_PORT_BASE=32210 ECG_GATEWAY_PORT_BASE=32200 ECG_HTTP_PORT_BASE=32220
  bash "$root/deploy/local-cluster.sh" up 3 >"$out/cluster-up.log"
  silo_pids="$(cat "$ECG_CLUSTER_DIR"/silo-*.pid)"
  gateways="127.0.0.1:32200,127.0.0.1:32201,127.0.0.1:32202"
  for i in $(seq 1 "$cluster_runs"); do
    ingest_and_check "three silos, run $i/$cluster_runs" "stress-cluster-$i" --gateway "$gateways" --cluster-id ecg-stress || break
  done
  for s in 1 2 3; do
    result="$(bash "$root/deploy/local-cluster.sh" term "$s" || true)"
    echo "three silos: $result"
    case "$result" in *"exit status 0"*) ;; *) failures=$((failures + 1)) ;; esac
    check_log "$ECG_CLUSTER_DIR/silo-$s.log" "silo $s of 3"
  done
  bash "$root/deploy/local-cluster.sh" down >/dev/null
fi

echo "$failures failures"
[ "$failures" -eq 0 ]
