#!/usr/bin/env bash
# Kill -9 / resume check: trains a small model once straight through, then trains the same model again
# while SIGKILLing it at random moments (N times, bounded), resuming after each kill, and checks that the
# final checkpoint's weights.safetensors (and its trainer and stability state) are byte-identical to the
# uninterrupted run's. Exit 0 when identical, 1 when not, 2 on a usage error.
#
#   scripts/kill_resume.sh                 # 5 kills, 600 steps
#   KILLS=10 STEPS=1000 SEED=7 scripts/kill_resume.sh
#   KEEP=1 scripts/kill_resume.sh          # keep the work directory for inspection
#
# Environment: KILLS (default 5, at most 50), STEPS (default 600), SEED (random kill points; default 1),
# JITTER (each kill comes up to this many seconds after a randomly chosen checkpoint; default 0.6),
# WORK (work directory; default a new temporary one), KEEP (1: do not delete it), BALLAST_JAVA_OPTS.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
kills="${KILLS:-5}"
steps="${STEPS:-600}"
seed="${SEED:-1}"
if ! [[ "$kills" =~ ^[0-9]+$ ]] || (( kills > 50 )); then
  echo "kill_resume: KILLS must be 0..50, got '$kills'" >&2
  exit 2
fi
if ! [[ "$steps" =~ ^[0-9]+$ ]] || (( steps < 20 )); then
  echo "kill_resume: STEPS must be a number of at least 20, got '$steps'" >&2
  exit 2
fi

work="${WORK:-$(mktemp -d "${TMPDIR:-/tmp}/ballast-kill-resume.XXXXXX")}"
mkdir -p "$work"
cleanup() {
  if [[ -n "${pid:-}" ]] && kill -0 "$pid" 2>/dev/null; then
    kill -9 "$pid" 2>/dev/null || true
  fi
  if [[ "${KEEP:-0}" != 1 ]]; then
    rm -rf "$work"
  fi
}
trap cleanup EXIT

# Build the jar through the launcher once (a no-op when it is current), then run java directly.
"$root/ballast" --version >/dev/null
jar="$root/cli/target/ballast.jar"
java_opts=(${BALLAST_JAVA_OPTS:--Xmx1g} --add-modules jdk.incubator.vector)
# Small and deterministic: one thread, a checkpoint every 10 steps.
cfg=(--layers 1 --hidden 192 --embed 32 --seq 32 --batch 16 --steps "$steps" --eval-every 10 --eval-batch 4
     --sample-length 0 --threads 1 --valid-fraction 0.02 --seed 3)

# exec: in "ballast ... &" the background subshell becomes the JVM, so $! is the JVM's PID and the
# kill -9 reaches the JVM itself, not a shell around it.
ballast() {
  exec java "${java_opts[@]}" -jar "$jar" "$@"
}

RANDOM="$seed"
jitter="${JITTER:-0.6}"

started=$(date +%s)
echo "kill_resume: reference run of $steps steps..." >&2
(ballast train "${cfg[@]}" --out "$work/straight") >"$work/straight.log" 2>&1

step_of() {
  sed -n 's/.*"step" : \([0-9]*\).*/\1/p' "$1" 2>/dev/null || true
}
# The step of the checkpoint a pointer names, 0 when there is none yet.
progress() {
  local s
  s=$(step_of "$1")
  echo "${s:-0}"
}
# A random fraction of JITTER seconds, from bash's seeded RANDOM.
jitter() {
  awk -v j="$jitter" -v r="$RANDOM" 'BEGIN { printf "%.2f", j * r / 32767 }'
}

landed=0      # kills that hit a running training process
finished=0    # runs that finished before their kill came
fresh=0       # kills before the first checkpoint: the run had to start over
for ((i = 1; i <= kills; i++)); do
  current=$(step_of "$work/killed/latest.json")
  current=${current:-0}
  # Each kill waits for a random later checkpoint (spread so that the kills cover the whole run), then
  # a random fraction of a second more: it lands mid-step, mid-validation or mid-checkpoint-write.
  slots=$(( (steps - current) / 10 - 1 ))
  if (( slots < 1 )); then
    break
  fi
  share=$(( slots / (kills - i + 1) ))
  target=$(( current + 10 * (1 + RANDOM % (share > 0 ? share : 1)) ))
  if (( i == 1 && RANDOM % 4 == 0 )); then
    target=0   # now and then the first kill comes before any checkpoint exists
  fi
  if [[ -f "$work/killed/latest.json" ]]; then
    args=(train --resume "$work/killed")
  elif [[ -d "$work/killed" ]]; then
    args=(train "${cfg[@]}" --out "$work/killed" --overwrite)   # killed before any checkpoint: start over
    fresh=$((fresh + 1))
  else
    args=(train "${cfg[@]}" --out "$work/killed")
  fi
  ballast "${args[@]}" >>"$work/killed.log" 2>&1 &
  pid=$!
  while kill -0 "$pid" 2>/dev/null && (( $(progress "$work/killed/latest.json") < target )); do
    sleep 0.05
  done
  delay=$(jitter)
  sleep "$delay"
  if kill -9 "$pid" 2>/dev/null; then
    wait "$pid" 2>/dev/null || true
    landed=$((landed + 1))
    at=$(step_of "$work/killed/latest.json")
    echo "kill_resume: kill $i ${delay}s after checkpoint $target (latest checkpoint now: step ${at:-none})" >&2
  else
    wait "$pid" 2>/dev/null || true
    finished=$((finished + 1))
    echo "kill_resume: kill $i came too late: the run had finished" >&2
    break
  fi
  pid=""
done

# Finish whatever is left (a no-op "already at step" is fine when the last run completed).
if [[ -f "$work/killed/latest.json" ]]; then
  last_step=$(step_of "$work/killed/latest.json")
  if (( last_step < steps )); then
    (ballast train --resume "$work/killed") >>"$work/killed.log" 2>&1
  fi
else
  (ballast train "${cfg[@]}" --out "$work/killed" --overwrite) >>"$work/killed.log" 2>&1
fi

final=$(printf 'checkpoints/step-%08d' "$steps")
status=0
for f in weights.safetensors resume.safetensors trainer-state.json stability-state.json; do
  if cmp -s "$work/straight/$final/$f" "$work/killed/$final/$f"; then
    echo "kill_resume: $final/$f identical" >&2
  else
    echo "kill_resume: $final/$f DIFFERS from the uninterrupted run" >&2
    status=1
  fi
done
leftovers=$(find "$work/killed" -name '.staging-*' -o -name '.*.tmp-*' | wc -l)
elapsed=$(( $(date +%s) - started ))
echo "kill_resume: $kills kills requested, $landed landed mid-run ($fresh before the first checkpoint)," \
     "$finished came after the end; $leftovers leftover temporary files; ${elapsed}s in all;" \
     "$([[ $status == 0 ]] && echo "final weights identical" || echo "MISMATCH")"
exit "$status"
