#!/usr/bin/env bash
# Uploads a file to the compose S3 stand-in and sends the S3 "ObjectCreated:Put" event to the compose queue,
# as S3 itself would (S3Proxy sends no notifications). Needs the aws CLI and jq on the host.
#   deploy/compose/upload.sh "song.flac" "Artist/Album/01 - Song.flac"
# With --delete KEY it removes the object and sends "ObjectRemoved:Delete".
set -euo pipefail

export AWS_ACCESS_KEY_ID=local-identity AWS_SECRET_ACCESS_KEY=local-credential AWS_REGION=us-east-1
s3=(aws --endpoint-url http://127.0.0.1:9000 s3api)
sqs=(aws --endpoint-url http://127.0.0.1:9324 sqs)
queue=http://127.0.0.1:9324/000000000000/music-events
bucket=music

event() { # name key size etag
  # S3 form-URL-encodes keys in events; a sequencer orders events of one key (hex, grows with time)
  jq -cn --arg name "$1" --arg key "$2" --argjson size "$3" --arg etag "$4" --arg bucket "$bucket" \
    --arg seq "$(printf '%016X' "$(date +%s%N)")" --arg time "$(date -u +%Y-%m-%dT%H:%M:%S.000Z)" '
    {Records: [{eventVersion: "2.1", eventSource: "aws:s3", awsRegion: "us-east-1", eventTime: $time,
      eventName: $name,
      s3: {s3SchemaVersion: "1.0", bucket: {name: $bucket, arn: ("arn:aws:s3:::" + $bucket)},
        object: ({key: ($key | split("/") | map(@uri) | join("/")), sequencer: $seq}
          + (if $name | startswith("ObjectCreated") then {size: $size, eTag: $etag} else {} end))}}]}'
}

if [[ "${1:-}" == "--delete" ]]; then
  key=${2:?usage: upload.sh --delete KEY}
  "${s3[@]}" delete-object --bucket "$bucket" --key "$key" >/dev/null
  "${sqs[@]}" send-message --queue-url "$queue" --message-body "$(event ObjectRemoved:Delete "$key" 0 "")" >/dev/null
  echo "deleted s3://$bucket/$key and queued its event"
  exit 0
fi

file=${1:?usage: upload.sh FILE KEY}
key=${2:?usage: upload.sh FILE KEY}
etag=$("${s3[@]}" put-object --bucket "$bucket" --key "$key" --body "$file" --query ETag --output text | tr -d '"')
size=$(stat -c %s "$file")
"${sqs[@]}" send-message --queue-url "$queue" --message-body "$(event ObjectCreated:Put "$key" "$size" "$etag")" >/dev/null
echo "uploaded s3://$bucket/$key ($size bytes) and queued its event"
