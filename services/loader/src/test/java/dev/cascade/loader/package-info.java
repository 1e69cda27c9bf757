/** Whole-module checks of the loader: the package rules of the Cascade design, enforced on the compiled classes. */
package dev.cascade.loader;
