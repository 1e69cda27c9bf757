#!/usr/bin/env bash
# HSM signing benchmark (issue 14 item 8): Cascade's signing rate through a PKCS#11 token, RSASHA256 (2048 bits) and
# ECDSAP256SHA256, 1 and N threads, next to the token's own raw rate (a C_Sign loop in C, bench/pkcs11-sign-rate.c,
# one session per thread, on the same keys). `pkcs11-tool --test` only checks mechanisms and prints no rate, so the
# C loop is the baseline. Default token: a fresh SoftHSM2 token under bench/work/hsm (Debian softhsm2); another
# module with --module, --slot, --label and the PIN in CASCADE_PKCS11_PIN.
#
# Usage: bench/hsm.sh [--seconds 3] [--threads 1,2] [--module PATH --slot ID --label LABEL]
# Needs: java 17, gcc and the p11-kit headers (libp11-kit-dev), softhsm2; dnssec-core built (mvnw install).
set -euo pipefail

BENCH="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
REPO="$(cd "$BENCH/.." && pwd)"
WORK="$BENCH/work/hsm"
SECONDS_EACH=3
THREADS="1,$(nproc)"
MODULE=/usr/lib/softhsm/libsofthsm2.so
SLOT=""
LABEL=cascade-bench
while [[ $# -gt 0 ]]; do
  case "$1" in
    --seconds) SECONDS_EACH="$2"; shift 2 ;;
    --threads) THREADS="$2"; shift 2 ;;
    --module) MODULE="$2"; shift 2 ;;
    --slot) SLOT="$2"; shift 2 ;;
    --label) LABEL="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
mkdir -p "$WORK"

if [[ -z "$SLOT" ]]; then
  # A token of our own, so nothing else's keys are touched; SoftHSM2 reads SOFTHSM2_CONF in every process.
  rm -rf "$WORK/tokens" && mkdir -p "$WORK/tokens"
  printf 'directories.tokendir = %s\nobjectstore.backend = file\nlog.level = ERROR\n' "$WORK/tokens" \
    > "$WORK/softhsm2.conf"
  export SOFTHSM2_CONF="$WORK/softhsm2.conf"
  CASCADE_PKCS11_PIN=1234
  SLOT="$(softhsm2-util --init-token --free --label "$LABEL" --pin "$CASCADE_PKCS11_PIN" --so-pin 12345678 \
    | sed -n 's/.*reassigned to slot \([0-9]*\).*/\1/p')"
fi
: "${CASCADE_PKCS11_PIN:?set CASCADE_PKCS11_PIN to the user PIN of the token}"

gcc -O2 -I/usr/include/p11-kit-1 -o "$WORK/pkcs11-sign-rate" "$BENCH/pkcs11-sign-rate.c" -ldl -lpthread

LIB="$BENCH/work/lib"
if ! ls "$LIB"/bcprov-*.jar >/dev/null 2>&1; then
  mkdir -p "$LIB"
  (cd "$REPO" && ./mvnw -B -q -o -f dnssec-core/pom.xml dependency:copy-dependencies -DincludeScope=runtime \
    -DoutputDirectory="$LIB") >&2
fi
core="$(ls "$REPO"/dnssec-core/target/dnssec-core-*.jar | grep -v -e sources -e tests | head -1)"

java -cp "$core:$LIB/*" "$BENCH/HsmRate.java" "$MODULE" "$SLOT" "$LABEL" "$CASCADE_PKCS11_PIN" "$SECONDS_EACH" \
  "$THREADS" > "$WORK/java.txt" 2> "$WORK/java.err" || { cat "$WORK/java.err" >&2; exit 1; }
grep '^#' "$WORK/java.txt"
printf '%-16s %7s %12s %14s %12s\n' algorithm threads raw-C_Sign/s cascade-JCA/s zone-RRSIG/s
while read -r _ alg id; do
  mechanism=$([[ "$alg" == RSA* ]] && echo rsa || echo ecdsa)
  for t in ${THREADS//,/ }; do
    raw="$("$WORK/pkcs11-sign-rate" "$MODULE" "$SLOT" "$CASCADE_PKCS11_PIN" "$id" "$mechanism" "$SECONDS_EACH" "$t")"
    line="$(grep -E "^$alg +threads=$t " "$WORK/java.txt")"
    jca="$(sed 's/.*jca-sign\/s=\([0-9]*\).*/\1/' <<<"$line")"
    zone="$(sed 's/.*zone-rrsig\/s=\([0-9]*\).*/\1/' <<<"$line")"
    printf '%-16s %7s %12s %14s %12s\n' "$alg" "$t" "$raw" "$jca" "$zone"
  done
done < <(grep '^key ' "$WORK/java.txt")
