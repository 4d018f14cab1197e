#!/usr/bin/env bash
# Prints a bearer token signed with the committed DEV key (never trusted outside dev/test).
#   dev-keys/token.sh [role] [subject] [hours]     role: admin | service | user (default admin)
# Works against dev mode, the tests' setup, and a packaged service started with
# MP_JWT_VERIFY_PUBLICKEY_LOCATION=dev-keys/dev-public-key.pem MP_JWT_VERIFY_ISSUER=subscription-dev.
set -euo pipefail
role=${1:-admin}
sub=${2:-$role-1}
hours=${3:-12}
issuer=${ISSUER:-subscription-dev}
audience=${AUDIENCE:-subscription-service}
key="$(dirname "$0")/dev-private-key.pem"
now=$(date +%s)
b64url() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }
header=$(printf '{"alg":"RS256","typ":"JWT"}' | b64url)
payload=$(printf '{"iss":"%s","aud":"%s","sub":"%s","upn":"%s","groups":["%s"],"iat":%d,"exp":%d}' \
  "$issuer" "$audience" "$sub" "$sub" "$role" "$now" $((now + hours * 3600)) | b64url)
signature=$(printf '%s.%s' "$header" "$payload" | openssl dgst -sha256 -sign "$key" | b64url)
printf '%s.%s.%s\n' "$header" "$payload" "$signature"
