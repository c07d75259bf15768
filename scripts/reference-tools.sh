#!/usr/bin/env bash
# The reference tools the tests cross-check against, from Debian's packages: astropy (FITS and
# VOTable readers), fitsverify, healpy, pyvo (TAP/SCS/SSA/SIA/DataLink client), stilts (the
# IVOA's taplint and datalinklint), Chromium (browser tests) and q3c for PostgreSQL 15 (the
# search bench's cross-check: q3c returns the same cone pages). Run before `npm test` (pretest)
# and by .ci/run, so that `npm install && npm test` needs nothing installed by hand. Does
# nothing when they are all there; as a non-root user it only says what is missing.
set -euo pipefail
need=()
# q3c only where Debian's PostgreSQL 15 is (its test is skipped, saying why, without it).
optional=()
[ -x /usr/lib/postgresql/15/bin/postgres ] && optional+=(postgresql-15-q3c)
for pkg in python3-astropy fitsverify python3-healpy python3-pyvo stilts chromium "${optional[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || need+=("$pkg")
done
[ ${#need[@]} -eq 0 ] && exit 0
if ! command -v apt-get >/dev/null 2>&1; then
  echo "reference tools missing (${need[*]}) and no apt-get here: the tests that use them will fail" >&2
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "reference tools missing: run 'sudo apt-get install -y ${need[*]}' (the tests that use them fail without)" >&2
  exit 0
fi
echo "== apt-get install ${need[*]} (reference tools for the tests)"
(apt-get update -qq || true) >/dev/null 2>&1
required=()
for pkg in "${need[@]}"; do [ "$pkg" = postgresql-15-q3c ] || required+=("$pkg"); done
[ ${#required[@]} -eq 0 ] || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${required[@]}" >/dev/null
# The optional package alone: if the mirror lacks it, the rest of the suite still runs.
if [ ${#required[@]} -ne ${#need[@]} ]; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-15-q3c >/dev/null ||
    echo "postgresql-15-q3c could not be installed: the q3c cross-check test is skipped" >&2
fi
