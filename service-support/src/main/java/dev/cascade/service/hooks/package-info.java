/**
 * Operator hook commands, which more than one service runs (the keymanager's DS submission hook, review-gateway's
 * review hooks): one way to start them, bound their time and keep their output. Plain Java, no CDI.
 */
package dev.cascade.service.hooks;
