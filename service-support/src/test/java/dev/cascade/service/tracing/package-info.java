/** Tests of the spans about zone versions: the attributes taken from events, and traces continued or linked. */
package dev.cascade.service.tracing;
