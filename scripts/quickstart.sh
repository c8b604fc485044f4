#!/usr/bin/env bash
# The quick start's first command: set up a fresh machine, show kyso's main
# job end to end with a generated TEST identity (an officer and an agency
# sign a sample Vietnamese document, poppler's pdfsig checks it), then run
# the signing service in development mode on http://127.0.0.1:8080/ until
# Ctrl-C. `--no-setup` skips the machine setup (the test suite uses it).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${1:-}" != "--no-setup" ]; then bash scripts/setup.sh; fi

out=.tmp/quickstart
rm -rf "$out" && mkdir -p "$out"
kyso() { node packages/cli/dist/bin.js "$@"; }

kyso test-pki -o "$out/pki" --password kyso-test >/dev/null
export KYSO_P12_PASSWORD=kyso-test
kyso sign examples/assets/sample.pdf -o "$out/officer.pdf" \
  --p12 "$out/pki/personal.p12" --password-env KYSO_P12_PASSWORD \
  --reason "Chứng thực bản sao đúng với bản chính" --location "Bình Định" --field CanBoChungThuc
kyso sign "$out/officer.pdf" -o "$out/signed.pdf" \
  --p12 "$out/pki/organisation.p12" --password-env KYSO_P12_PASSWORD --field CoQuan

echo
echo "pdfsig (poppler), trusting only the TEST root in $out/pki/nssdb:"
pdfsig -no-ocsp -nssdir "sql:$out/pki/nssdb" "$out/signed.pdf" 2>/dev/null | grep -E "Signature #|Field Name|Common Name|Signature Validation|Certificate Validation"
echo
echo "Signed file: $out/signed.pdf"
echo
echo "Now the signing service (development mode; a new TEST API key each run). From another terminal:"
echo "  curl -s -H \"Authorization: Bearer \$KEY\" -H 'content-type: application/pdf' --data-binary @examples/assets/sample.pdf http://127.0.0.1:8080/v1/sign -o signed.pdf"
echo "Ctrl-C stops it."
echo
exec node packages/cli/dist/bin.js serve --data-dir "$out/kyso-data"
