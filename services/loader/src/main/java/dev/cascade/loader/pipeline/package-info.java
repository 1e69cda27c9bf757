/**
 * The loader's Kafka side, the only package that touches SmallRye Messaging or Kafka clients: consumes zone registry
 * facts, writes content chunks with zone-content's ContentWriter and emits UnsignedVersionFact, keyed by zone apex, in
 * Kafka transactions (service-support's FactTransactions), and the StepProgressed of a long load (through
 * service-support's StepProgressEmitter); at start it restores and rebuilds its tables from the log.
 */
package dev.cascade.loader.pipeline;
