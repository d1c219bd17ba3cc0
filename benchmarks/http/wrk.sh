#!/usr/bin/env bash
# HTTP comparison on loopback: wrk against /health/ready (HealthServlet, 10 cached checks) and against /constant
# (a constant 200-byte body) on the same Jetty 12 server, alternately, twice each after a warm-up.
# Writes RESULTS_DIR/http.properties (vigil_rps, constant_rps). Installs wrk (Debian package) when missing.
#
#   benchmarks/http/wrk.sh [RESULTS_DIR]      (run benchmarks/run.sh, or build the benchmarks modules, first)
#
# Environment: JAVA, WRK_THREADS (default 1), WRK_CONNECTIONS (default 32), WRK_SECONDS (default 10).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
results="${1:-$here/../results}"
mkdir -p "$results"
if [[ -z "${JAVA:-}" ]]; then
  if [[ -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ]]; then JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java; else JAVA=java; fi
fi
threads="${WRK_THREADS:-1}" connections="${WRK_CONNECTIONS:-32}" seconds="${WRK_SECONDS:-10}"

if ! command -v wrk > /dev/null; then
  echo "installing wrk (apt-get)"
  sudo_cmd=""; [[ $(id -u) -ne 0 ]] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq > /dev/null
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq wrk > /dev/null
fi

jar=$(ls "$here"/target/benchmarks-http-*.jar | head -1)
log="$results/http-server.log"
"$JAVA" -cp "$jar:$(cat "$here/target/classpath.txt")" io.vigil.health.bench.http.JettyApp 0 > "$log" 2>&1 &
server=$!
trap 'kill "$server" 2> /dev/null || true; wait "$server" 2> /dev/null || true' EXIT
port=""
for _ in $(seq 1 100); do
  port=$(sed -n 's/^PORT=//p' "$log" | head -1)
  [[ -n "$port" ]] && break
  sleep 0.2
done
[[ -n "$port" ]] || { echo "Jetty did not start, see $log" >&2; exit 1; }
base="http://127.0.0.1:$port"

rps() { # url seconds -> requests/s; fails on any non-2xx answer or socket error
  local out; out=$(wrk -t"$threads" -c"$connections" -d"$2"s "$1")
  if grep -qE 'Non-2xx|Socket errors' <<< "$out"; then echo "wrk saw errors for $1:" >&2; echo "$out" >&2; return 1; fi
  sed -n 's/^Requests\/sec: *//p' <<< "$out"
}

echo "warming up $base"
rps "$base/constant" 5 > /dev/null
rps "$base/health/ready" 5 > /dev/null
c1=$(rps "$base/constant" "$seconds"); v1=$(rps "$base/health/ready" "$seconds")
c2=$(rps "$base/constant" "$seconds"); v2=$(rps "$base/health/ready" "$seconds")
constant=$(awk -v a="$c1" -v b="$c2" 'BEGIN { printf "%.0f", (a + b) / 2 }')
vigil=$(awk -v a="$v1" -v b="$v2" 'BEGIN { printf "%.0f", (a + b) / 2 }')
{
  echo "constant_rps=$constant"
  echo "vigil_rps=$vigil"
  echo "constant_runs=$c1 $c2"
  echo "vigil_runs=$v1 $v2"
  echo "wrk=$(wrk --version 2>&1 | head -1 | cut -c1-60)"
  echo "wrk_args=-t$threads -c$connections -d${seconds}s"
} > "$results/http.properties"
echo "constant 200 B: $constant req/s ($c1, $c2); /health/ready: $vigil req/s ($v1, $v2)"
