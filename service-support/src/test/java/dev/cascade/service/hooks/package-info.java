/** Tests of the hook runner with real {@code sh -c} processes. */
package dev.cascade.service.hooks;
