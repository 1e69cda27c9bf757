/**
 * Configuration of review-gateway: the policy directory (policies are files the operator edits, read when needed)
 * and the addresses of the publisher's review and publication servers that status output points operators to; and
 * the producers of the domain objects the beans share.
 */
package dev.cascade.reviewgateway.config;
