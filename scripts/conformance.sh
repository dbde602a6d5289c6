#!/usr/bin/env bash
# Google's conformance suite (runner v33.2) against protoplate's testee,
# conformance/testee.ts, in both forms: compiled (as users run it) and
# interpreted. Required and recommended tests, proto2, proto3 and editions
# 2023: binary, JSON and the text format. The runner fails the run on any
# failure not in conformance/failure_list.txt (text_format_failure_list.txt
# for the text-format suite), and on any test listed there that passes.
# Run after `npm run build`.
set -euo pipefail
cd "$(dirname "$0")/.."

DIR=.conformance
RUNNER="$DIR/conformance_test_runner"
if [ ! -x "$RUNNER" ] || [ ! -d "$DIR/include" ]; then
  SETUP=../shared/conformance/setup.sh
  [ -x "$SETUP" ] || { echo "scripts/conformance.sh: $SETUP not found (shared/ beside the clone gets the runner)" >&2; exit 1; }
  "$SETUP" "$DIR"
fi

for form in compiled interpreted; do
  echo "conformance, $form:"
  out="$DIR/out-$form"
  mkdir -p "$out"
  PROTOPLATE_CONFORMANCE_FORM=$form PROTOPLATE_CONFORMANCE_INCLUDE="$DIR/include" \
    "$RUNNER" --enforce_recommended --maximum_edition 2023 --failure_list conformance/failure_list.txt --text_format_failure_list conformance/text_format_failure_list.txt --output_dir "$out" conformance/testee \
    > "$out/log.txt" 2>&1 || { tail -50 "$out/log.txt"; exit 1; }
  grep -E 'CONFORMANCE SUITE|requests' "$out/log.txt"
done
