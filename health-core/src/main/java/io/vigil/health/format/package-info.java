/**
 * One writer per representation of a report: MicroProfile JSON (extended or strict), FHIR OperationOutcome,
 * IETF health+json and kube-style plain text.
 */
@NullMarked
package io.vigil.health.format;

import org.jspecify.annotations.NullMarked;
