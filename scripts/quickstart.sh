#!/usr/bin/env bash
# The quick start's first command: set up a fresh machine, show kyso's main
# job end to end with a generated TEST identity (an officer and an agency
# sign a sample Vietnamese document, poppler's pdfsig checks it), then run
# the signing service in development mode on http://127.0.0.1:8080/ until
# Ctrl-C. The TEST PKI is made where the service looks for its own
# (<data dir>/test-pki), so the CLI and the service sign under one TEST root
# and one NSS database trusts both. `--no-setup` skips the machine setup (the
# test suite uses it).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${1:-}" != "--no-setup" ]; then bash scripts/setup.sh; fi

out=.tmp/quickstart
rm -rf "$out" && mkdir -p "$out"
kyso() { node packages/cli/dist/bin.js "$@"; }

data="$out/kyso-data"
pki="$data/test-pki"
kyso test-pki -o "$pki" --password kyso-test >/dev/null
export KYSO_P12_PASSWORD=kyso-test
kyso sign examples/assets/sample.pdf -o "$out/officer.pdf" \
  --p12 "$pki/personal.p12" --password-env KYSO_P12_PASSWORD \
  --reason "Chứng thực bản sao đúng với bản chính" --location "Bình Định" --field CanBoChungThuc
kyso sign "$out/officer.pdf" -o "$out/signed.pdf" \
  --p12 "$pki/organisation.p12" --password-env KYSO_P12_PASSWORD --field CoQuan

echo
echo "pdfsig (poppler), trusting only the TEST root in $pki/nssdb:"
pdfsig -no-ocsp -nssdir "sql:$pki/nssdb" "$out/signed.pdf" 2>/dev/null | grep -E "Signature #|Field Name|Common Name|Signature Validation|Certificate Validation"
echo
echo "Signed file: $out/signed.pdf"
echo
echo "Now the signing service (development mode; a new TEST API key each run), signing under the same TEST root"
echo "with loopback TEST TSA and OCSP services (add ?level=B-T or ?level=B-LT). From another terminal:"
echo "  curl -s -H \"Authorization: Bearer \$KEY\" -H 'content-type: application/pdf' --data-binary @examples/assets/sample.pdf http://127.0.0.1:8080/v1/sign -o signed.pdf"
echo "  pdfsig -no-ocsp -nssdir sql:$pki/nssdb signed.pdf"
echo "Ctrl-C stops it."
echo
exec node packages/cli/dist/bin.js serve --data-dir "$data"
