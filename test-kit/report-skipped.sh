#!/usr/bin/env bash
# Lists every test the run skipped and why (the tool or privilege it names), from the Surefire
# reports of every module: Maven's summary counts skipped tests but does not say why.
# Run by Maven at the end of `mvn -B verify` (deploy-tests, the last module); harmless to rerun.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
shopt -s nullglob
reports=("$root"/*/target/surefire-reports/TEST-*.xml)
skipped=$(awk '
  /<testcase / { match($0, /name="[^"]*"/); name = substr($0, RSTART + 6, RLENGTH - 7);
                 match($0, /classname="[^"]*"/); class = substr($0, RSTART + 11, RLENGTH - 12) }
  /<skipped/   { message = ""; if (match($0, /message="[^"]*"/)) message = substr($0, RSTART + 9, RLENGTH - 10);
                 print "  " class "." name ": " message }
' "${reports[@]}" /dev/null)
if [ -n "$skipped" ]; then
  echo "Skipped tests, and why:"
  echo "$skipped"
else
  echo "No test was skipped."
fi
