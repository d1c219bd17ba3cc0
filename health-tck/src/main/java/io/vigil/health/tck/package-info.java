/**
 * The transport compatibility kit: {@link io.vigil.health.tck.HttpContractSuite}, the one HTTP contract suite every
 * transport runs against its own mount, and {@link io.vigil.health.tck.SettingsContract}, one sample per setting for
 * every entry point's configuration test. Null-marked: nothing here is {@code null} unless annotated.
 */
@NullMarked
package io.vigil.health.tck;

import org.jspecify.annotations.NullMarked;
