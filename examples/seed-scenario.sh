#!/usr/bin/env bash
# The seed scenario, end to end with the AWS CLI v2 against a running Kontext: a finance role may
# use a key only with department=finance in the encryption context; the role encrypts, decrypts
# with the right context, is refused with another department, fails with a changed customer_id;
# then CloudTrail's lookup-events tells who decrypted what, when, and how each attempt ended.
#
#   kontext server --dev                     # in another shell; paste its export lines here
#   bash examples/seed-scenario.sh
#
# Runs as the admin (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or AWS_PROFILE with
# AWS_SHARED_CREDENTIALS_FILE=<data-dir>/credentials). AWS=/usr/bin/aws picks the CLI binary
# (it must be v2); KONTEXT_ENDPOINT the server (default http://127.0.0.1:4599). Names get a
# unique suffix, so the script can run again against the same server. Needs python3 for the
# last step (CloudTrailEvent is a JSON string inside the JSON answer).

set -euo pipefail

AWS=${AWS:-aws}
ENDPOINT=${KONTEXT_ENDPOINT:-http://127.0.0.1:4599}
REGION=${AWS_REGION:-${AWS_DEFAULT_REGION:-us-east-1}}
SUFFIX=${SEED_SUFFIX:-$(date +%s)$$}
PLAINTEXT='sensitive-data-here'
CONTEXT='department=finance,customer_id=cust_98765'
export AWS_PAGER=''

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# As the caller of this script (the admin).
admin() { "$AWS" --endpoint-url "$ENDPOINT" --region "$REGION" "$@"; }
# As other credentials: $1 access key id, $2 secret, $3 session token ('' for none); the
# profile is dropped so the keys given here are the ones used.
as() {
  local id=$1 secret=$2 token=$3
  shift 3
  env -u AWS_PROFILE -u AWS_SESSION_TOKEN AWS_ACCESS_KEY_ID="$id" AWS_SECRET_ACCESS_KEY="$secret" \
    ${token:+AWS_SESSION_TOKEN="$token"} "$AWS" --endpoint-url "$ENDPOINT" --region "$REGION" "$@"
}
# The error code of a failed call's stderr, "An error occurred (Code) when calling ...".
error_code() { sed -n 's/.*An error occurred (\([A-Za-z]*\)).*/\1/p' "$1" | head -n 1; }

ACCOUNT=$(admin sts get-caller-identity --query Account --output text)
USER_NAME="finance-analyst-$SUFFIX"
ROLE_NAME="FinanceApp-$SUFFIX"
ROLE_ARN="arn:aws:iam::$ACCOUNT:role/$ROLE_NAME"

echo "== 1. A key"
KEY_ID=$(admin kms create-key --description "finance data ($SUFFIX)" --query KeyMetadata.KeyId --output text)
KEY_ARN="arn:aws:kms:$REGION:$ACCOUNT:key/$KEY_ID"
echo "created key $KEY_ARN"

echo "== 2. An IAM user and a role the user may assume"
USER_ARN=$(admin iam create-user --user-name "$USER_NAME" --query User.Arn --output text)
# Captured first, so a failed call stops the script here (set -e does not see into `< <(...)`).
USER_KEYS=$(admin iam create-access-key --user-name "$USER_NAME" \
  --query 'AccessKey.[AccessKeyId,SecretAccessKey]' --output text)
read -r USER_KEY_ID USER_SECRET <<< "$USER_KEYS"
cat > "$WORK/trust.json" <<JSON
{"Version": "2012-10-17", "Statement": [
  {"Effect": "Allow", "Principal": {"AWS": "$USER_ARN"}, "Action": "sts:AssumeRole"}]}
JSON
admin iam create-role --role-name "$ROLE_NAME" --assume-role-policy-document "file://$WORK/trust.json" \
  --query Role.Arn --output text >/dev/null
echo "created user $USER_ARN and role $ROLE_ARN (trusting the user)"

echo "== 3. Key policy: the role may Encrypt/Decrypt only with department=finance"
cat > "$WORK/key-policy.json" <<JSON
{"Version": "2012-10-17", "Statement": [
  {"Sid": "Admin", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::$ACCOUNT:root"},
   "Action": "kms:*", "Resource": "*"},
  {"Sid": "FinanceOnly", "Effect": "Allow", "Principal": {"AWS": "$ROLE_ARN"},
   "Action": ["kms:Encrypt", "kms:Decrypt"], "Resource": "*",
   "Condition": {"StringEquals": {"kms:EncryptionContext:department": "finance"}}}]}
JSON
admin kms put-key-policy --key-id "$KEY_ID" --policy-name default --policy "file://$WORK/key-policy.json"
echo "key policy set (statement FinanceOnly for $ROLE_NAME)"

echo "== 4. The user assumes the role"
ROLE_KEYS=$(as "$USER_KEY_ID" "$USER_SECRET" '' sts assume-role \
  --role-arn "$ROLE_ARN" --role-session-name "quarterly-report" \
  --query 'Credentials.[AccessKeyId,SecretAccessKey,SessionToken]' --output text)
read -r ROLE_KEY_ID ROLE_SECRET ROLE_TOKEN <<< "$ROLE_KEYS"
role() { as "$ROLE_KEY_ID" "$ROLE_SECRET" "$ROLE_TOKEN" "$@"; }
SESSION_ARN=$(role sts get-caller-identity --query Arn --output text)
echo "now acting as $SESSION_ARN"

echo "== 5. The role encrypts with department=finance,customer_id=cust_98765"
role kms encrypt --key-id "$KEY_ID" --plaintext "$PLAINTEXT" --cli-binary-format raw-in-base64-out \
  --encryption-context "$CONTEXT" --query CiphertextBlob --output text | base64 -d > "$WORK/secret.bin"
echo "encrypt: OK ($(wc -c < "$WORK/secret.bin" | tr -d ' ') bytes of ciphertext)"

echo "== 6. The role decrypts"
# $1 a label, $2 the context; prints the outcome and never stops the script.
try_decrypt() {
  local label=$1 ctx=$2 out
  if out=$(role kms decrypt --ciphertext-blob "fileb://$WORK/secret.bin" --encryption-context "$ctx" \
      --query Plaintext --output text 2> "$WORK/err"); then
    echo "decrypt $label ($ctx): OK \"$(printf '%s' "$out" | base64 -d)\""
  else
    echo "decrypt $label ($ctx): FAILED $(error_code "$WORK/err")"
  fi
}
try_decrypt 'with the right context' "$CONTEXT"
try_decrypt 'as another department' 'department=engineering,customer_id=cust_98765'
try_decrypt 'with a changed customer_id' 'department=finance,customer_id=cust_00000'

echo "== 7. CloudTrail: who decrypted what, when"
# LookupEvents takes one attribute (EventName); the key is picked out of each CloudTrailEvent.
admin cloudtrail lookup-events --lookup-attributes AttributeKey=EventName,AttributeValue=Decrypt \
  --output json > "$WORK/events.json"
python3 - "$WORK/events.json" "$KEY_ARN" <<'PY'
import json, sys

events, key_arn = json.load(open(sys.argv[1]))["Events"], sys.argv[2]
rows = []
for e in events:
    record = json.loads(e["CloudTrailEvent"])
    if key_arn not in [r.get("ARN") for r in record.get("resources") or []]:
        continue
    context = (record.get("requestParameters") or {}).get("encryptionContext") or {}
    rows.append((record["eventTime"], record["userIdentity"].get("arn", "?"),
                 ",".join(f"{k}={v}" for k, v in sorted(context.items())),
                 record.get("errorCode") or "OK"))
for time, who, context, outcome in reversed(rows):  # lookup-events answers newest first
    print(f"{time}  {who}  Decrypt {{{context}}}  -> {outcome}")
print(f"{len(rows)} Decrypt events for this key")
PY
