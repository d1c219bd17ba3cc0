package io.vigil.health.bench.vigil;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.vigil.health.bench.Library;
import io.vigil.health.bench.Sanity;
import org.junit.jupiter.api.Test;

/** The adapter answers what the benchmarks expect; speed is measured by run.sh, never here. */
class VigilLibraryTest {

    @Test
    void isTheOneLibraryOnThisClassPathWithAVersion() {
        Library library = Library.load();
        assertThat(library).isInstanceOf(VigilLibrary.class);
        assertThat(library.version()).isNotBlank(); // "?" when the reactor hands over health-core's classes dir
    }

    @Test
    void everyVariantAnswersUpNamingEveryCheckAndRunsEachCheckOnce() {
        assertThatCode(() -> Sanity.requireWorkingVariants(Library.load())).doesNotThrowAnyException();
    }
}
