#!/usr/bin/env bash
# The issue-2 streaming benchmark: builds the fat jar, starts it as its own process over a temporary music folder
# with one generated 200 MiB object, and prints throughput, ranged time-to-first-byte and server memory under 200
# slow clients, through the server and straight from its embedded S3. Takes about two minutes; needs ~250 MB in
# the temp folder. Arguments (key=value) go to dev.s3music.launcher.bench.StreamBench, e.g.
#   bench/stream-bench.sh clients=50 slowSeconds=10
# Set SKIP_BUILD=1 to reuse launcher/target/music-server.jar and launcher/target/test-classes as they are.
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  mvn -q -B -DskipTests package -pl launcher -am
fi
exec java -cp launcher/target/music-server.jar:launcher/target/test-classes \
  dev.s3music.launcher.bench.StreamBench jar=launcher/target/music-server.jar "$@"
