/**
 * The deploy step that puts the schema contract into the Apicurio registry before any service runs: the global
 * FULL_TRANSITIVE rule and every event schema of the topic catalogue (issue 9). The services only look their schemas
 * up ({@link dev.cascade.events.registry.SchemaRegistration#PRODUCER_SETTINGS}); the test registries get the same
 * step through test-infra's RegistrySetup.
 */
package dev.cascade.events.registry;
