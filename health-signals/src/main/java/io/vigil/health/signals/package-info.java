/**
 * Health from numbers: resource checks of the process and its container ({@link
 * io.vigil.health.signals.MemoryCheck}, {@link io.vigil.health.signals.GcOverheadCheck}, {@link
 * io.vigil.health.signals.FileDescriptorCheck}, {@link io.vigil.health.signals.ThreadCheck}, {@link
 * io.vigil.health.signals.ContainerCheck}, {@link io.vigil.health.signals.DiskCheck}) and threshold checks on any
 * number ({@link io.vigil.health.signals.ThresholdCheck}) or Micrometer meter ({@link
 * io.vigil.health.signals.MeterCheck}), so that the limits operations runbooks alert on degrade readiness with the
 * reason on the page and in the OperationOutcome. Every check reads memory or kernel counters only, except
 * {@code DiskCheck} (a file system may hang); windows are rings of snapshots taken by the evaluations, timed by a
 * monotonic {@link io.vigil.health.Ticker}, with no thread of their own.
 */
@NullMarked
package io.vigil.health.signals;

import org.jspecify.annotations.NullMarked;
