/** Tests of the propagation checks against real name servers (knotd). */
package dev.cascade.keymanager.propagation;
