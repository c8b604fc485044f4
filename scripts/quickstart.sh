#!/usr/bin/env bash
# The quick start's first command: set up a fresh machine, then do kyso's
# main job end to end with a generated TEST identity: an officer and an
# agency sign a sample Vietnamese document, and poppler's pdfsig checks it.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

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
