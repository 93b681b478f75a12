#!/usr/bin/env bash
# Does a silo's memory stay flat while live monitors stream into it? Starts one silo process, runs
# `ecg simulate` (synthetic monitors, real time x SPEED) for SECONDS of wall time, samples the silo's RSS every
# 5 s, and prints the samples, their range after the first 10 s, and the beats the run received.
# Usage: bash bench/monitor-memory.sh [MONITORS=16] [SPEED=15] [SECONDS=95]
set -euo pipefail
cd "$(dirname "$0")/.."
monitors=${1:-16}; speed=${2:-15}; seconds=${3:-95}
dotnet build silo/EcgOrleans.Silo -c Release -v q -nologo > /dev/null
dotnet build client/EcgOrleans.Client -c Release -v q -nologo > /dev/null
silo=silo/EcgOrleans.Silo/bin/Release/net10.0/linux-x64/EcgOrleans.Silo
ecg=client/EcgOrleans.Client/bin/Release/net10.0/linux-x64/ecg.dll
log=$(mktemp); samples=$(mktemp)
"$silo" --urls http://127.0.0.1:5098 > "$log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true; rm -f "$log" "$samples"' EXIT
for _ in $(seq 1 120); do grep -q "Now listening\|Application started" "$log" && break; sleep 1; done
grep -q "Now listening\|Application started" "$log" || { echo "silo did not start:"; cat "$log"; exit 1; }
rss_mb() { awk '$1 == "VmRSS:" {printf "%.0f", $2 / 1024}' "/proc/$pid/status"; }
echo "silo $pid at rest: $(rss_mb) MB; $monitors monitors at ${speed}x for $seconds s"
( for t in $(seq 5 5 "$seconds"); do sleep 5; echo "$t $(rss_mb)" >> "$samples"; done ) &
sampler=$!
dotnet "$ecg" simulate --monitors "$monitors" --speed "$speed" --seconds "$seconds" --run "monitors-$(date +%s)" 2>&1 \
  | grep -aE "beats|rror" | tail -2
wait $sampler || true
echo "RSS MB every 5 s: $(awk '{printf "%s ", $2}' "$samples")"
awk '$1 > 10 {if (min == "" || $2 < min) min = $2; if ($2 > max) max = $2} END {printf "after the first 10 s: %d to %d MB\n", min, max}' "$samples"
echo "silo peak RSS (VmHWM) $(awk '$1 == "VmHWM:" {printf "%.0f MB", $2 / 1024}' "/proc/$pid/status")"
