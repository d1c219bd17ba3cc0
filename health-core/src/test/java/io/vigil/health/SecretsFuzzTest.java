package io.vigil.health;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzzes redaction: a secret planted in any recognised form ({@link PlantedSecrets}: key/value pairs with and without
 * quotes, JSON members, HTTP auth schemes, URL user-info and query, PEM, JWT) between random text never comes out
 * of {@link Secrets#redact}. {@code mvn verify} replays the seeds in
 * src/test/resources/io/vigil/health/SecretsFuzzTestInputs; {@code -Pfuzz} fuzzes for real.
 */
class SecretsFuzzTest {
    @FuzzTest(maxDuration = "60s")
    void aPlantedSecretNeverComesOut(FuzzedDataProvider data) {
        int form = data.consumeInt(0, PlantedSecrets.FORMS - 1);
        String key = PlantedSecrets.KEYS.get(data.consumeInt(0, PlantedSecrets.KEYS.size() - 1));
        boolean upper = data.consumeBoolean();
        String prefix = data.consumeString(200);
        String suffix = data.consumeString(200);
        PlantedSecrets.assertRedacted(form, key, upper, prefix, data.consumeRemainingAsString(), suffix);
    }
}
