/**
 * Who may use the operator API: bearer tokens from a tokens file mapped to a person and roles
 * ({@link dev.cascade.reviewgateway.security.ApiTokens}), the three roles ({@link dev.cascade.reviewgateway.security.ApiRoles}),
 * and the guard that refuses cross-site requests to change anything ({@link dev.cascade.reviewgateway.security.CrossSiteGuard}).
 */
package dev.cascade.reviewgateway.security;
