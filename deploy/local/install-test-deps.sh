#!/usr/bin/env bash
# Installs the Debian packages the test suite calls (validators and DNS tools as oracles, PostgreSQL for the
# out-of-process stack, socat for the chaos suite's network partition), but only when one of their programs is
# missing, so a prepared machine needs no network.
set -euo pipefail

# package -> a program it installs (the one whose absence means the package is missing)
declare -A PROGRAM=(
    [bind9-utils]=dnssec-verify
    [ldnsutils]=ldns-verify-zone
    [knot-dnsutils]=kdig
    [knot-dnssecutils]=kzonecheck
    [knot]=knotd
    [dnsutils]=dig
    [unbound]=unbound
    # Bridges the chaos suite's network namespace to the stack's ports (deploy/local/stack.sh).
    [socat]=socat
    # A real PKCS#11 token for the HSM tests (dnssec-core pkcs11) and its raw sign rate (bench/hsm.sh).
    [softhsm2]=softhsm2-util
    [opensc]=pkcs11-tool
    # The real primary the loader transfers zones from in the tests (dnssec-core xfr); nsupdate comes with dnsutils.
    [bind9]=named
    # The second secondary of the full chain (system-tests ChainIT, test-infra NsdSecondary), beside knotd.
    [nsd]=nsd
    # A real OpenDNSSEC for `cascade migrate opendnssec`'s test: its enforcer (with the SQLite store) and signer.
    [opendnssec-enforcer-sqlite3]=ods-enforcerd
    [opendnssec-signer]=ods-signerd
    # Creates the enforcer's SQLite schema in a temporary directory (ods-enforcer-db-setup reads /etc only).
    [sqlite3]=sqlite3
    # promtool checks and tests the alert rules and parses the dashboards' queries (deploy/monitoring, system-tests'
    # AlertRulesTest and DashboardsTest).
    [prometheus]=promtool
)
missing=()
for pkg in "${!PROGRAM[@]}"; do
    command -v "${PROGRAM[$pkg]}" > /dev/null 2>&1 || missing+=("$pkg")
done
# The PostgreSQL server binaries are not on PATH; deploy/local/stack.sh looks for them here.
compgen -G '/usr/lib/postgresql/*/bin/pg_ctl' > /dev/null || missing+=(postgresql)

if (( ${#missing[@]} == 0 )); then
    echo "test-deps: all present"
    exit 0
fi

echo "test-deps: installing ${missing[*]}"
sudo=()
(( EUID == 0 )) || sudo=(sudo)
export DEBIAN_FRONTEND=noninteractive
# A fresh image often has no package lists yet: update once and retry only if the first attempt fails.
if ! "${sudo[@]}" apt-get install -y "${missing[@]}"; then
    "${sudo[@]}" apt-get update
    "${sudo[@]}" apt-get install -y "${missing[@]}"
fi
