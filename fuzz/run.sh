#!/usr/bin/env bash
# Fuzz routelint's lint_source / fix_source (decoding included) for SECONDS (default 60).
# Crashes, timeouts and out-of-memory inputs become regression fixtures in
# tests/fuzz_regressions/, replayed by tests/test_fuzz_regressions.py on every test run.
#   fuzz/run.sh 600              # ten minutes
#   PYTHON=python3 fuzz/run.sh   # another interpreter than .venv/bin/python
set -uo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
python="${PYTHON:-.venv/bin/python}"
if ! "$python" -c "import atheris" 2>/dev/null; then
  echo "fuzz/run.sh: atheris is not installed for $python." >&2
  echo "Install it with: $python -m pip install -e '.[fuzz]'  (it builds against clang's libFuzzer)." >&2
  exit 2
fi
work=fuzz/.work
mkdir -p "$work/corpus" fuzz/crashes
"$python" fuzz/fuzz_lint.py --seed "$work/corpus" "$work/models.dict" || exit 2
"$python" fuzz/fuzz_lint.py -max_total_time="$seconds" -timeout=30 -rss_limit_mb=4096 \
  -dict="$work/models.dict" -artifact_prefix=fuzz/crashes/ "$work/corpus"
status=$?
"$python" fuzz/fuzz_lint.py --keep fuzz/crashes tests/fuzz_regressions
if compgen -G "fuzz/crashes/*" > /dev/null; then
  echo "fuzz/run.sh: failing inputs were found; they are in tests/fuzz_regressions/ (fix, then commit them)" >&2
elif [ "$status" -ne 0 ]; then
  echo "fuzz/run.sh: the fuzzer exited with $status" >&2
fi
exit "$status"
