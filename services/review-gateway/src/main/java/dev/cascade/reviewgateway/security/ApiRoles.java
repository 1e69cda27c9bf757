package dev.cascade.reviewgateway.security;

import java.util.Set;

/**
 * The operator API's roles (issue 13, item 4), independent of each other: a person who may approve but not add zones
 * holds {@code approver} and {@code viewer}. Every endpoint names the roles it admits with {@code @RolesAllowed}; an
 * endpoint without that annotation is refused to everyone ({@code quarkus.security.jaxrs.deny-unannotated-endpoints}),
 * so a new endpoint cannot be open by omission. The table is in docs/operations.md, "Authentication and roles".
 */
public final class ApiRoles {

  /** Reads: status, history, policies, keys' records, the TSIG key list. */
  public static final String VIEWER = "viewer";
  /** Changes: zone add, remove, reload, set-policy, set-source, policy reload, key roll steps, TSIG keys. */
  public static final String OPERATOR = "operator";
  /** Review decisions: approve and reject at both gates. */
  public static final String APPROVER = "approver";

  /** Every role; a read is open to each of them, since a person who may change or decide must see what. */
  public static final Set<String> ALL = Set.of(VIEWER, OPERATOR, APPROVER);

  private ApiRoles() {}
}
