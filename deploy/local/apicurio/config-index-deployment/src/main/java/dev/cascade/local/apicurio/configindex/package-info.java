/**
 * Quarkus deployment half of Apicurio's "config-index" extension, which Maven Central lacks (stack-notes §4):
 * it indexes the registry's {@code @Dynamic} configuration properties at build time.
 */
package dev.cascade.local.apicurio.configindex;
