/** Whole-module checks of the keymanager: the package rules of the Cascade design, enforced on the compiled classes. */
package dev.cascade.keymanager;
