package io.vigil.health.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.health.HealthRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class QueryParametersTest {
    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"&", "&&", "pretty", "a=b&c", "%zz=1", "verbose=false", "verbose=0"})
    void noKnownParameterMeansNothingChanges(String raw) {
        QueryParameters q = QueryParameters.parse(raw);
        assertThat(q.error()).isNull();
        assertThat(q.verbose()).isFalse();
        assertThat(q.exclude()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"verbose", "verbose=", "verbose=true", "verbose=1", "x=1&verbose", "verbose=0&verbose"})
    void verboseTakesNoValueOrABoolean(String raw) {
        assertThat(QueryParameters.parse(raw)).isEqualTo(new QueryParameters(true, java.util.Set.of(), null));
    }

    @Test
    void excludeIsRepeatableDecodedAndKeepsItsOrder() {
        QueryParameters q = QueryParameters.parse("exclude=db&exclude=my+cache&exclude=caf%C3%A9&exclude=db");
        assertThat(q.error()).isNull();
        assertThat(q.exclude()).containsExactly("db", "my cache", "café");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "verbose=yes",
                "verbose=%zz",
                "verbose=TRUE",
                "exclude",
                "exclude=",
                "exclude=%zz",
                "exclude=a%0Ab",
                "exclude=%00"
            })
    void malformedValuesOfKnownParametersAreRefused(String raw) {
        QueryParameters q = QueryParameters.parse(raw);
        assertThat(q.error()).isNotBlank();
        assertThat(q.exclude()).isEmpty();
    }

    @Test
    void anExcludedNameLongerThanAnyCheckNameIsRefused() {
        String longest = "n".repeat(HealthRegistry.MAX_NAME_LENGTH);
        assertThat(QueryParameters.parse("exclude=" + longest).exclude()).containsExactly(longest);
        assertThat(QueryParameters.parse("exclude=" + longest + "n").error()).contains("characters");
    }
}
