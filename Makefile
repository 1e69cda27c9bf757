# Cascade: build, run and test on one machine without Docker.
#   make build   the main reactor (skipping tests), the local Apicurio registry and the Kafka broker jars
#   make up      build, then start Kafka, PostgreSQL, the registry and the five services (deploy/local/stack.sh up)
#   make up REPLICAS=2 BROKERS=3   the local HA stack: two instances of every service on three Kafka brokers
#   make demo    up, then add examples/zones/example.test.zone and wait until it is published
#   make down    stop everything "up" started
#   make test    the whole test suite, as CI runs it (.ci/run), with a 3-minute run of the chaos suite
#   make chaos   the chaos suite alone on the HA stack, CHAOS_MINUTES of faults (default 20), CHAOS_SEED to replay
# State (data, logs, PIDs, the key-encryption key) goes to ${CASCADE_STATE_DIR:-.state} (see deploy/local/stack.sh).

SHELL := bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := build

MVN := ./mvnw -B
STACK := deploy/local/stack.sh
# Instances of each service and Kafka brokers for "up" (stack.sh); empty: one instance each, and as many brokers as
# the state dir's Kafka was formatted with (one for a new one).
REPLICAS ?=
BROKERS ?=

.PHONY: build build-main build-registry build-kafka up demo down test test-deps chaos

build: build-main build-registry build-kafka

build-main:
	$(MVN) package -DskipTests

# A separate Maven build on Quarkus 2.16 (the registry's own), kept out of the main reactor on Quarkus 3.33.
build-registry:
	$(MVN) -q -f deploy/local/apicurio/pom.xml package -DskipTests

build-kafka:
	$(MVN) -q -f deploy/local/kafka/pom.xml package

up: build
	REPLICAS=$(REPLICAS) BROKERS=$(BROKERS) $(STACK) up

demo: up
	deploy/local/demo.sh

down:
	$(STACK) down

# The registry and Kafka jars come first: the tests start the real registry from deploy/local/apicurio
# (test-infra's RegistryResource), and the system tests run the broker from deploy/local/kafka.
test: test-deps build-registry build-kafka
	$(MVN) verify

test-deps:
	deploy/local/install-test-deps.sh

CHAOS_MINUTES ?= 20
CHAOS_SEED ?= 20261206

# The system tests' chaos execution only (system-tests/pom.xml), on the packaged services, with no other test.
chaos: test-deps build
	$(MVN) verify -pl system-tests -am -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false -Dcascade.chaos.only=true \
	  -Dcascade.chaos.minutes=$(CHAOS_MINUTES) -Dcascade.chaos.seed=$(CHAOS_SEED) \
	  -Dcascade.chaos.timeout=$$(( $(CHAOS_MINUTES) * 60 + 1200 ))
