#!/usr/bin/env bash
# Peak RSS of one silo process while `ecg ingest` streams all 48 MIT-BIH records into it (issue: < 1 GiB).
# Usage: bash bench/silo-memory.sh [MITDB_DIR]   (default $ECG_MITDB, else ../shared/data/mitdb)
# Extra environment (e.g. MALLOC_MMAP_THRESHOLD_=1048576) passes through to the silo.
set -euo pipefail
cd "$(dirname "$0")/.."
data=${1:-${ECG_MITDB:-$(realpath ../shared/data/mitdb)}}
dotnet build silo/EcgOrleans.Silo -c Release -v q -nologo > /dev/null
dotnet build client/EcgOrleans.Client -c Release -v q -nologo > /dev/null
silo=silo/EcgOrleans.Silo/bin/Release/net10.0/linux-x64/EcgOrleans.Silo
ecg=client/EcgOrleans.Client/bin/Release/net10.0/linux-x64/ecg.dll
log=$(mktemp)
# As the silo's launch profile and deploy/: bounds the C heap LibTorch's tensors come from.
MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-2} "$silo" --urls http://127.0.0.1:5099 > "$log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true; rm -f "$log"' EXIT
for _ in $(seq 1 120); do grep -q "Now listening\|Application started" "$log" && break; sleep 1; done
grep -q "Now listening\|Application started" "$log" || { echo "silo did not start:"; cat "$log"; exit 1; }
rss() { awk -v k="$1:" '$1 == k {printf "%.0f MB", $2 / 1024}' "/proc/$pid/status"; }
echo "silo $pid at rest: $(rss VmRSS)"
dotnet "$ecg" ingest --data "$data" --run "memory-$(date +%s)" 2>&1 | grep -aE "beats in|rror" | tail -3
echo "silo peak RSS (VmHWM) $(rss VmHWM); now $(rss VmRSS); silo CPU $(awk '{print ($14 + $15) / 100}' /proc/$pid/stat) s"
