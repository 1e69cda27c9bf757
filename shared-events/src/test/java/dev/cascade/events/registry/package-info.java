/**
 * The deploy step's command line, without a registry. Against a real registry it is tested in test-infra, which runs
 * one (RegistrySetupTest).
 */
package dev.cascade.events.registry;
