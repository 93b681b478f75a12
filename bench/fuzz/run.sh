#!/usr/bin/env bash
# Fuzzes one WFDB reader with AFL++ and SharpFuzz for a given time.
#
#   bench/fuzz/run.sh <header|signal|annotation|annotation-write> <seconds>
#
# Publishes bench/fuzz/EcgOrleans.Fuzz (Release), instruments the EcgOrleans.Signal.Wfdb namespace of
# EcgOrleans.Signal.dll with the SharpFuzz CLI (local tool, bench/fuzz/dotnet-tools.json), then runs
# afl-fuzz on seeds that make-seeds.py cuts from MIT-BIH ($ECG_MITDB, default ../shared/data/mitdb beside the
# repository) into bench/fuzz-out/corpus/<target>. Findings go to bench/fuzz-out/findings/<target>
# (fresh each run; FUZZ_RESUME=1 continues the last one). At the end it prints afl-fuzz's figures and
# replays every crash and hang through the harness, so their stack traces show.
# Needs afl-fuzz: apt-get install -y afl++
set -euo pipefail

usage="usage: run.sh <header|signal|annotation|annotation-write> <seconds>"
target=${1:?$usage}
seconds=${2:?$usage}
case $target in header | signal | annotation | annotation-write) ;; *) echo "unknown target '$target'" >&2; exit 2 ;; esac

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
out=${FUZZ_OUT:-$repo/bench/fuzz-out}
bin=$out/bin/$target
findings=$out/findings/$target
timeout_ms=${FUZZ_TIMEOUT_MS:-2000}
mitdb=${ECG_MITDB:-$repo/../shared/data/mitdb}
corpus=$out/corpus

command -v afl-fuzz >/dev/null || { echo "afl-fuzz not found: apt-get install -y afl++" >&2; exit 1; }
[[ -f $mitdb/100.hea ]] || { echo "MIT-BIH not found in '$mitdb': set ECG_MITDB to the folder of 100.hea" >&2; exit 1; }

# The seeds are cut from MIT-BIH on every run rather than kept in the repository (the data is not ours to copy).
python3 "$here/make-seeds.py" "$mitdb" "$corpus"

# A fresh publish every time: SharpFuzz instruments in place and refuses an instrumented assembly.
# The plain copy replays findings afterwards (instrumented code outside afl-fuzz has no coverage map to write).
rm -rf "$bin" "$bin.plain"
dotnet publish "$here/EcgOrleans.Fuzz" -c Release -o "$bin" --nologo -v quiet
cp -r "$bin" "$bin.plain"
(cd "$here" && dotnet tool restore >/dev/null && dotnet tool run sharpfuzz "$bin/EcgOrleans.Signal.dll" EcgOrleans.Signal.Wfdb)

if [[ ${FUZZ_RESUME:-0} == 1 ]]; then
  export AFL_AUTORESUME=1
else
  rm -rf "$findings"
fi
mkdir -p "$(dirname "$findings")"

dictionary=()
[[ $target == header || $target == signal ]] && dictionary=(-x "$here/wfdb.dict")

# dotnet itself carries no AFL instrumentation (SharpFuzz writes the coverage map), hence SKIP_BIN_CHECK.
# The GC heap limit turns an allocation bomb into an OutOfMemoryException (a crash) instead of swapping
# the machine; the harness also fails any input whose allocations exceed its budget (AllocationBudget.cs).
AFL_SKIP_BIN_CHECK=1 AFL_NO_UI=1 AFL_NO_AFFINITY=1 AFL_SKIP_CPUFREQ=1 \
AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_FORKSRV_INIT_TMOUT=60000 \
DOTNET_GCHeapHardLimit=0x40000000 DOTNET_TieredPGO=0 \
  afl-fuzz -i "$corpus/$target" -o "$findings" -t "$timeout_ms" -m none -G 65536 -V "$seconds" \
    "${dictionary[@]}" -- "$(command -v dotnet)" "$bin/EcgOrleans.Fuzz.dll" "$target"

stats=$findings/default/fuzzer_stats
echo "== $target: afl-fuzz figures ($stats)"
grep -E '^(run_time|execs_done|execs_per_sec|corpus_count|edges_found|total_edges|bitmap_cvg|saved_crashes|saved_hangs|stability)\b' "$stats"

status=0
for kind in crashes hangs; do
  if compgen -G "$findings/default/$kind/id:*" >/dev/null; then
    echo "== $target: replaying $kind"
    timeout 120 dotnet "$bin.plain/EcgOrleans.Fuzz.dll" "$target" --replay "$findings/default/$kind" || true
    status=1
  fi
done
exit $status
