/** Typed configuration of the signer ({@code cascade.*} keys in application.properties). */
package dev.cascade.signer.config;
