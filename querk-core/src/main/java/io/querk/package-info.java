/**
 * Querk's root: {@link io.querk.QuerkException}, the parent of every exception Querk throws,
 * and {@link io.querk.Api}, the stability marker every public type carries.
 */
package io.querk;
