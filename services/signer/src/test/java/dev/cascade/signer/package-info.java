/** Tests of the signer's structure: which package may depend on what (design rules, house-style §5). */
package dev.cascade.signer;
