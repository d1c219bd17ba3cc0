package io.vigil.health.bench.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.vigil.health.bench.Library;
import io.vigil.health.bench.Sanity;
import org.junit.jupiter.api.Test;

/** The adapter answers what the benchmarks expect; speed is measured by run.sh, never here. */
class SpringBootLibraryTest {

    @Test
    void isTheOneLibraryOnThisClassPathWithAVersion() {
        Library library = Library.load();
        assertThat(library).isInstanceOf(SpringBootLibrary.class);
        assertThat(library.version()).matches("\\d+\\.\\d+\\.\\d+.*");
    }

    @Test
    void everyVariantAnswersUpNamingEveryCheckAndRunsEachCheckOnce() {
        assertThatCode(() -> Sanity.requireWorkingVariants(Library.load())).doesNotThrowAnyException();
    }
}
