#!/usr/bin/env bash
# Builds the benchmarks and runs every scenario for Vigil and each peer, each library in its own JVMs on its own
# class path, then prints the comparison table (also written to benchmarks/results/table.md).
#
#   benchmarks/run.sh            build (with the Vigil modules it needs) and run everything, HTTP and cold start included
#   benchmarks/run.sh --quick    shorter JMH runs, for trying the script out
#   benchmarks/run.sh --no-http  skip the wrk comparison
#   benchmarks/run.sh --no-build use what the last build left in benchmarks/*/target
#
# Environment: JAVA (default: JDK 25 at /usr/lib/jvm/temurin-25-jdk-amd64 when present, else java on PATH),
# MVN_ARGS (extra Maven arguments, e.g. -o), LIBS (libraries to run, default "vigil spring-boot dropwizard smallrye").
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
results="$here/results"
quick=0 http=1 build=1
for arg in "$@"; do
  case "$arg" in
    --quick) quick=1 ;;
    --no-http) http=0 ;;
    --no-build) build=0 ;;
    *) echo "unknown option $arg" >&2; exit 2 ;;
  esac
done
if [[ -z "${JAVA:-}" ]]; then
  if [[ -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ]]; then JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java; else JAVA=java; fi
fi
libs=(${LIBS:-vigil spring-boot dropwizard smallrye})
modules="benchmarks,benchmarks/harness,benchmarks/vigil,benchmarks/spring-boot,benchmarks/dropwizard,benchmarks/smallrye,benchmarks/http"

if (( build )); then
  echo "== building (mvn package, tests skipped)"
  (cd "$root" && mvn -B -q ${MVN_ARGS:-} -pl "$modules" -am package -DskipTests)
fi
rm -rf "$results"; mkdir -p "$results"

classpath() { # the module's jar, then its runtime class path as Maven resolved it
  local jar; jar=$(ls "$here/$1"/target/benchmarks-"$1"-*.jar | grep -v -e sources -e javadoc | head -1)
  echo "$jar:$(cat "$here/$1/target/classpath.txt")"
}

if (( quick )); then jmh=(-f 1 -wi 2 -w 1s -i 3 -r 1s); else jmh=(-f 1 -wi 5 -w 1s -i 5 -r 2s); fi
{
  echo "date=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')"
  echo "cores=$(nproc)"
  echo "memory=$(free -g | awk '/Mem:/ {print $2 " GiB"}')"
  echo "java=$("$JAVA" -version 2>&1 | head -2 | tail -1)"
  echo "load_before=$(cut -d' ' -f1-3 /proc/loadavg)"
} > "$results/machine.properties"

for lib in "${libs[@]}"; do
  cp=$(classpath "$lib")
  echo "== $lib: scenario a (JMH, -prof gc)"
  "$JAVA" -cp "$cp" io.vigil.health.bench.ProbeMain "$results/a-$lib.csv" "${jmh[@]}" > "$results/a-$lib.log" 2>&1 \
    || { echo "JMH failed for $lib, see $results/a-$lib.log" >&2; exit 1; }
  grep -E '^ProbeBenchmark.probe(:gc.alloc.rate.norm)? ' "$results/a-$lib.log" || true
  echo "== $lib: scenarios b, c, d and footprint"
  "$JAVA" -cp "$cp" io.vigil.health.bench.Scenarios --out "$results/s-$lib.properties" \
      --exclude-classpath "$here/harness/target/classpath.txt" \
      --adapter "$(classpath harness | cut -d: -f1)" --adapter "$(classpath "$lib" | cut -d: -f1)" \
      > "$results/s-$lib.log" 2>&1 \
    || { echo "scenarios failed for $lib, see $results/s-$lib.log" >&2; exit 1; }
  echo "== $lib: cold start (fresh JVMs)"
  for i in 1 2 3 4 5; do
    "$JAVA" -cp "$cp" io.vigil.health.bench.ColdStart "$results/cold-$lib.txt" >> "$results/cold-$lib.log" 2>&1 \
      || { echo "cold start failed for $lib, see $results/cold-$lib.log" >&2; exit 1; }
  done
done

if (( http )); then
  echo "== HTTP: wrk against Jetty"
  "$here/http/wrk.sh" "$results" || echo "HTTP comparison failed; the table shows it as missing" >&2
fi
echo "load_after=$(cut -d' ' -f1-3 /proc/loadavg)" >> "$results/machine.properties"

"$JAVA" -cp "$(classpath harness)" io.vigil.health.bench.Report "$results" | tee "$results/table.md"
