package io.vigil.health.microprofile;

import java.util.Optional;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Reads settings through MicroProfile Config when an implementation is present, from system properties
 * otherwise. MicroProfile Config itself includes system properties and environment variables.
 */
final class Settings {
    private Settings() {}

    /** @return a lookup for the current thread's class loader */
    static Function<String, Optional<String>> lookup() {
        Function<String, Optional<String>> mp = MpConfig.lookup();
        return mp != null ? mp : key -> Optional.ofNullable(System.getProperty(key));
    }

    /** Touches MicroProfile Config classes only when they are on the class path. */
    private static final class MpConfig {
        static @Nullable Function<String, Optional<String>> lookup() {
            try {
                Class.forName("org.eclipse.microprofile.config.ConfigProvider", false, Settings.class.getClassLoader());
            } catch (ClassNotFoundException | LinkageError e) {
                return null;
            }
            try {
                org.eclipse.microprofile.config.Config config =
                        org.eclipse.microprofile.config.ConfigProvider.getConfig();
                return key -> config.getOptionalValue(key, String.class);
            } catch (IllegalStateException | java.util.ServiceConfigurationError | LinkageError e) {
                return null; // the API without an implementation
            }
        }
    }
}
