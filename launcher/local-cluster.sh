#!/usr/bin/env bash
# Runs the server as a local cluster on this machine, one process per role instance, all on 127.0.0.1:
#   redis-server (free port), the S3 + SQS stand-ins (dev.s3music.launcher.EmbeddedServicesMain: S3Proxy over the
#   music folder, ElasticMQ with music-events + music-events-dlq, folder changes sent as S3 notifications), the fake
#   Discogs, and two of each role (api, indexer, metadata-worker) joined in one Vert.x cluster (Hazelcast TCP/IP).
#
#   launcher/local-cluster.sh                    # build, start, wait until every instance is ready; Ctrl-C stops all
#   SKIP_BUILD=1 MUSIC_DIR=~/Music API_PORT=9080 launcher/local-cluster.sh
#
# Variables: MUSIC_DIR (default <work>/music, filled with the demo library when empty), API_PORT (first API
# instance, default 8080; the second gets API_PORT+1), WORK (folder for logs, default a new temporary one),
# INSTANCES (of each role, default 2), DISCOGS_URL + DISCOGS_TOKEN (default: the fake Discogs), SKIP_BUILD=1,
# ADMIN_USER + ADMIN_PASSWORD (the first admin; unset: api-1's banner shows a one-time setup code, printed below).
# Needs JDK 17, Maven (unless SKIP_BUILD=1), redis-server and python3 (free ports).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
JAR="$ROOT/launcher/target/music-server.jar"
if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  echo "building (mvn package -pl launcher,fake-discogs -am)..."
  mvn -q -B -DskipTests package -pl launcher,fake-discogs -am
fi
FAKE_JAR=$(ls "$ROOT"/fake-discogs/target/fake-discogs-*.jar 2>/dev/null | grep -v -- '-tests' | head -1 || true)
[[ -f "$JAR" ]] || { echo "no $JAR: build first" >&2; exit 1; }
command -v redis-server >/dev/null || { echo "redis-server is needed (apt-get install redis-server)" >&2; exit 1; }

WORK=${WORK:-$(mktemp -d -t s3music-cluster-XXXXXX)}
mkdir -p "$WORK"
MUSIC_DIR=${MUSIC_DIR:-$WORK/music}
INSTANCES=${INSTANCES:-2}
API_PORT=${API_PORT:-8080}
PIDS=()
declare -A PID_OF

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

stop_all() {
  trap - INT TERM EXIT
  echo; echo "stopping ${#PIDS[@]} processes (SIGTERM: each drains and leaves the cluster)..."
  for ((i=${#PIDS[@]}-1; i>=0; i--)); do kill -TERM "${PIDS[$i]}" 2>/dev/null || true; done
  for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
  echo "stopped; logs in $WORK"
  exit 0
}
trap stop_all INT TERM EXIT

# waits (bounded) until FILE has a line matching REGEX
wait_for_line() {
  local file=$1 regex=$2 seconds=$3 pid=$4
  for ((n=0; n<seconds*10; n++)); do
    grep -qE "$regex" "$file" 2>/dev/null && return 0
    kill -0 "$pid" 2>/dev/null || { echo "process $pid died, see $file" >&2; tail -20 "$file" >&2; exit 1; }
    sleep 0.1
  done
  echo "timed out waiting for '$regex' in $file" >&2; exit 1
}

# the music folder: the demo library when empty, so there is something to play
if [[ ! -d "$MUSIC_DIR" || -z "$(ls -A "$MUSIC_DIR" 2>/dev/null)" ]]; then
  mkdir -p "$MUSIC_DIR"
  cp -r "$ROOT/launcher/demo-library/." "$MUSIC_DIR/"
fi

REDIS_PORT=$(free_port)
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no >"$WORK/redis.log" 2>&1 &
PIDS+=($!)
wait_for_line "$WORK/redis.log" "Ready to accept connections" 20 "${PIDS[-1]}"

java -Xmx512m -cp "$JAR" dev.s3music.launcher.EmbeddedServicesMain --music-dir "$MUSIC_DIR" --notify \
  >"$WORK/standins.log" 2>&1 &
PIDS+=($!)
wait_for_line "$WORK/standins.log" "^READY$" 60 "${PIDS[-1]}"
S3_ENDPOINT=$(sed -n 's/^S3_ENDPOINT=//p' "$WORK/standins.log")
SQS_ENDPOINT=$(sed -n 's/^SQS_ENDPOINT=//p' "$WORK/standins.log")
SQS_QUEUE_URL=$(sed -n 's/^SQS_QUEUE_URL=//p' "$WORK/standins.log")
SQS_DLQ_URL=$(sed -n 's/^SQS_DLQ_URL=//p' "$WORK/standins.log")
ACCESS_KEY=$(sed -n 's/^AWS_ACCESS_KEY_ID=//p' "$WORK/standins.log")
SECRET_KEY=$(sed -n 's/^AWS_SECRET_ACCESS_KEY=//p' "$WORK/standins.log")

if [[ -z "${DISCOGS_URL:-}" ]]; then
  [[ -n "$FAKE_JAR" ]] || { echo "no fake-discogs jar: build it, or set DISCOGS_URL and DISCOGS_TOKEN" >&2; exit 1; }
  java -Xmx128m -cp "$JAR:$FAKE_JAR" dev.s3music.fakediscogs.FakeDiscogsMain --port 0 >"$WORK/fake-discogs.log" 2>&1 &
  PIDS+=($!)
  wait_for_line "$WORK/fake-discogs.log" "listening on" 30 "${PIDS[-1]}"
  DISCOGS_URL=$(grep -o 'http://127.0.0.1:[0-9]*' "$WORK/fake-discogs.log" | head -1)
  DISCOGS_TOKEN=${DISCOGS_TOKEN:-local-fake-token}
fi

# one process of ROLE; extra NAME=value pairs after the role
start_role() {
  local name=$1 role=$2; shift 2
  env -i PATH="$PATH" HOME="$HOME" JAVA_HOME="${JAVA_HOME:-}" \
    ROLE="$role" HTTP_HOST=127.0.0.1 HTTP_INSTANCES=1 \
    S3_BUCKET=music AWS_REGION=us-east-1 AWS_ENDPOINT_URL="$S3_ENDPOINT" AWS_ENDPOINT_URL_SQS="$SQS_ENDPOINT" \
    AWS_ACCESS_KEY_ID="$ACCESS_KEY" AWS_SECRET_ACCESS_KEY="$SECRET_KEY" \
    USE_REDIS=true REDIS_URL="redis://127.0.0.1:$REDIS_PORT" SHUTDOWN_GRACE=10s \
    CLUSTERED=true CLUSTER_MEMBERS=127.0.0.1 CLUSTER_HOST=127.0.0.1 CLUSTER_JOIN_WAIT=1s \
    ${ADMIN_USER:+"ADMIN_USER=$ADMIN_USER"} ${ADMIN_PASSWORD:+"ADMIN_PASSWORD=$ADMIN_PASSWORD"} \
    "$@" java -Xmx256m -XX:+UseSerialGC -Djava.net.preferIPv4Stack=true -jar "$JAR" >"$WORK/$name.log" 2>&1 &
  PIDS+=($!)
  PID_OF[$name]=$!
  echo "  $name (pid $!, log $WORK/$name.log)"
}

echo "starting ${INSTANCES} of each role (logs in $WORK)..."
# the first member alone, so the others join it rather than forming clusters of their own at the same moment
start_role api-1 api HTTP_PORT="$API_PORT"
wait_for_line "$WORK/api-1.log" "is up: " 120 "${PIDS[-1]}"
for ((i=1; i<=INSTANCES; i++)); do
  [[ $i -gt 1 ]] && start_role "api-$i" api HTTP_PORT=$((API_PORT + i - 1))
  start_role "indexer-$i" indexer HTTP_PORT=0 SQS_QUEUE_URL="$SQS_QUEUE_URL" SQS_DLQ_URL="$SQS_DLQ_URL"
  start_role "metadata-worker-$i" metadata-worker HTTP_PORT=0 DISCOGS_URL="$DISCOGS_URL" DISCOGS_TOKEN="$DISCOGS_TOKEN"
done
for name in "${!PID_OF[@]}"; do
  wait_for_line "$WORK/$name.log" "is up: " 180 "${PID_OF[$name]}"
done

echo
echo "local cluster is up: $((INSTANCES * 3)) server processes in one Vert.x cluster"
for ((i=1; i<=INSTANCES; i++)); do echo "  API $i:   http://127.0.0.1:$((API_PORT + i - 1))/api/artists"; done
if [[ -n "${ADMIN_PASSWORD:-}" ]]; then
  echo "  sign in: POST /api/auth/login {\"username\":\"${ADMIN_USER:-admin}\",\"password\":<ADMIN_PASSWORD>}"
else
  # no account yet (first run): api-1's one-time setup code (an existing admin: nothing printed)
  grep -A4 "No account exists yet" "$WORK/api-1.log" | sed 's/^/  /' || true
fi
for log in "$WORK"/indexer-*.log "$WORK"/metadata-worker-*.log; do
  echo "  $(basename "$log" .log): $(grep -o 'http://127.0.0.1:[0-9]*/health/ready' "$log" | head -1)"
done
echo "  Redis:   redis://127.0.0.1:$REDIS_PORT     Discogs: $DISCOGS_URL"
echo "  S3:      $S3_ENDPOINT bucket music over $MUSIC_DIR (copy files in, or upload:)"
echo "           AWS_ACCESS_KEY_ID=$ACCESS_KEY AWS_SECRET_ACCESS_KEY=$SECRET_KEY aws --endpoint-url $S3_ENDPOINT --region us-east-1 s3 cp song.flac \"s3://music/Artist/Album/01 - Song.flac\""
echo "  SQS:     $SQS_QUEUE_URL (dead letters: $SQS_DLQ_URL)"
echo "Ctrl-C stops everything."
wait -n "${PIDS[@]}" || true
echo "a process ended on its own; see the logs in $WORK"
