/** Typed configuration of the publisher ({@code cascade.publisher.*}: listener address and ports, transfer ACL). */
package dev.cascade.publisher.config;
