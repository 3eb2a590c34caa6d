/** The BSD backend (skeleton until its own issue). */
package io.github.jsocketpair.bsd;
