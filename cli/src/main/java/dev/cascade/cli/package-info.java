/**
 * The {@code cascade} command-line client. Like the reference's CLI (cascade-reference.md §3.1) it holds no state:
 * every operator command is one JSON call to the operator API of review-gateway, whose answer it prints in the
 * reference's wording. {@code signzone} is the exception: an offline signer in the manner of dnssec-signzone, built
 * on dnssec-core. Errors print {@code ERROR: <message>} and exit with status 1.
 */
package dev.cascade.cli;
