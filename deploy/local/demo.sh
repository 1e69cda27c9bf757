#!/usr/bin/env bash
# The "make demo" walk-through, run after "deploy/local/stack.sh up": adds example.test with the default policy
# (both reviews off), waits until the signed zone is published, and shows how to look at it.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$REPO"
ZONE=example.test
CLI=bin/cascade
# Load, sign and publish of a zone this small take seconds; the budget is for a machine still busy after a build.
BUDGET=${CASCADE_DEMO_WAIT:-120}

[[ -x $CLI ]] || { echo "demo: $CLI missing; build the CLI first: make build" >&2; exit 1; }

# "zone add" is refused for a zone that exists, so a second demo run only shows the status again.
if "$CLI" zone status "$ZONE" > /dev/null 2>&1; then
    echo "demo: $ZONE is already known; not adding it again"
else
    "$CLI" zone add "$ZONE" --source "examples/zones/$ZONE.zone" --policy default
fi

# Published once "last published" shows a version (a timestamp line) instead of "<no versions published yet>"
# (zone status layout: cascade-reference.md §1.4).
published() { [[ $1 == *"last published"* && $1 != *"no versions published yet"* && $1 == *"timestamp:"* ]]; }

start=$SECONDS
while :; do
    out=$("$CLI" zone status "$ZONE" 2>&1) || true
    published "$out" && break
    if [[ $out == *"signing failed"* || $out == *"halted"* ]]; then
        printf '%s\n' "$out"
        echo "demo: $ZONE stopped before publication (see: deploy/local/stack.sh logs signer)" >&2
        exit 1
    fi
    if (( SECONDS - start >= BUDGET )); then
        printf '%s\n' "$out"
        echo "demo: $ZONE not published after ${BUDGET} s (see: deploy/local/stack.sh status / logs <service>)" >&2
        exit 1
    fi
    sleep 2
done

echo "demo: $ZONE published after $(( SECONDS - start )) s"
"$CLI" zone status "$ZONE"
echo
echo "Fetch the signed zone from the publisher:"
echo "dig @127.0.0.1 -p 4542 example.test AXFR"
