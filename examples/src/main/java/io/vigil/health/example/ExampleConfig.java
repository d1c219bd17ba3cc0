package io.vigil.health.example;

import io.vigil.health.Secrets;
import io.vigil.health.config.HealthSettings;
import io.vigil.health.endpoint.DetailsPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The example service's settings, read from environment variables (see {@link #NAMES}). The endpoint and check
 * settings are the library's own ({@link HealthSettings}), read through its environment lookup:
 * {@code VIGIL_HEALTH_<KEY>} ({@code VIGIL_HEALTH_DETAILS}, {@code VIGIL_HEALTH_TIMEOUT}, ...), with the example's
 * own defaults where they differ ({@link #HEALTH_DEFAULTS}); the former {@code VIGIL_SHOW_DETAILS} and
 * {@code VIGIL_CHECK_TIMEOUT_MS} are still read, with a deprecation warning, for one release. Immutable. Secrets
 * (database password, admin token, credentials inside URLs) never appear in {@link #toString()},
 * {@link #describe()} or an exception message.
 *
 * @param httpPort             {@code VIGIL_HTTP_PORT}: API and health endpoints; 0 picks a free port
 * @param managementPort       {@code VIGIL_MANAGEMENT_PORT}: {@code /metrics}; 0 picks a free port
 * @param dbUrl                {@code VIGIL_DB_URL}: JDBC URL (H2 and PostgreSQL drivers are on the class path)
 * @param dbUser               {@code VIGIL_DB_USER}: database user, may be empty
 * @param dbPassword           {@code VIGIL_DB_PASSWORD}: database password, may be empty
 * @param redisUrl             {@code VIGIL_REDIS_URL}: {@code redis[s]://...}, or {@code null} for no Redis check
 * @param upstreamUrl          {@code VIGIL_UPSTREAM_URL}: required upstream HTTP(S) URL, or {@code null}
 * @param migration            {@code VIGIL_MIGRATION_SECONDS}: length of the simulated start-up migration
 * @param licenseFile          {@code VIGIL_LICENSE_FILE}: signed license file, or {@code null} for no license check
 * @param licensePublicKey     {@code VIGIL_LICENSE_PUBLIC_KEY}: the issuer's Ed25519 public key (PEM or Base64
 *                             text, or the path of a PEM file); required with a license file
 * @param licenseFailsLiveness {@code VIGIL_LICENSE_FAILS_LIVENESS}: whether an expired license fails liveness too
 * @param health               {@code VIGIL_HEALTH_*}: the endpoint settings and check defaults
 * @param healthVariables      the {@code VIGIL_HEALTH_*} variables as given (the former names under the current ones)
 * @param adminToken           {@code VIGIL_ADMIN_TOKEN}: bearer token of the admin endpoints and of details with
 *                             {@code when-authorized}, or {@code null}: admin endpoints answer 401
 * @param drainTimeout         {@code VIGIL_DRAIN_SECONDS}: longest wait for in-flight requests on shutdown
 * @param kafkaBootstrap       {@code VIGIL_KAFKA_BOOTSTRAP}: Kafka bootstrap servers, or {@code null} for no Kafka check
 * @param rabbitmqUri          {@code VIGIL_RABBITMQ_URI}: {@code amqp[s]://user:password@host:port/vhost}, or
 *                             {@code null} for no RabbitMQ check
 * @param grpcPort             {@code VIGIL_GRPC_PORT}: the standard gRPC health service ({@code grpc.health.v1}),
 *                             or {@code null} for no gRPC port; 0 picks a free port
 */
public record ExampleConfig(
        int httpPort,
        int managementPort,
        String dbUrl,
        String dbUser,
        String dbPassword,
        String redisUrl,
        String upstreamUrl,
        Duration migration,
        Path licenseFile,
        String licensePublicKey,
        boolean licenseFailsLiveness,
        HealthSettings health,
        Map<String, String> healthVariables,
        String adminToken,
        Duration drainTimeout,
        Integer grpcPort,
        String kafkaBootstrap,
        String rabbitmqUri) {

    /** The default database: H2 in memory, kept while the process runs. */
    public static final String DEFAULT_DB_URL = "jdbc:h2:mem:vigil-example;DB_CLOSE_DELAY=-1";

    /**
     * The example's defaults of library settings where they differ from the library's: details for the admin token's
     * holder, the FHIR version prefix {@code R4}, and the operator's out-of-service control (for the admin token).
     */
    public static final Map<String, String> HEALTH_DEFAULTS = Map.of(
            HealthSettings.DETAILS.key(), "when-authorized",
            HealthSettings.VERSION_PREFIXES.key(), "R4",
            HealthSettings.OPERATOR_CONTROL.key(), "true");

    /** Variables the example used before the library's names, by key: read with a deprecation warning. */
    public static final Map<String, String> FORMER_NAMES = Map.of(
            HealthSettings.DETAILS.key(), "VIGIL_SHOW_DETAILS",
            HealthSettings.TIMEOUT.key(), "VIGIL_CHECK_TIMEOUT_MS");

    /** The example's own variables: ports, dependencies, secrets, the simulated migration and drain. */
    private static final List<String> OWN = List.of(
            "VIGIL_HTTP_PORT",
            "VIGIL_MANAGEMENT_PORT",
            "VIGIL_DB_URL",
            "VIGIL_DB_USER",
            "VIGIL_DB_PASSWORD",
            "VIGIL_REDIS_URL",
            "VIGIL_UPSTREAM_URL",
            "VIGIL_MIGRATION_SECONDS",
            "VIGIL_LICENSE_FILE",
            "VIGIL_LICENSE_PUBLIC_KEY",
            "VIGIL_LICENSE_FAILS_LIVENESS",
            "VIGIL_ADMIN_TOKEN",
            "VIGIL_DRAIN_SECONDS",
            "VIGIL_GRPC_PORT",
            "VIGIL_KAFKA_BOOTSTRAP",
            "VIGIL_RABBITMQ_URI");

    /** Every environment variable the service reads: its own and one per {@link HealthSettings} setting. */
    public static final Set<String> NAMES = names();

    private static Set<String> names() {
        Set<String> n = new TreeSet<>(OWN);
        HealthSettings.all().forEach(s -> n.add(s.environmentVariable()));
        return Set.copyOf(n);
    }

    /** Validates. */
    public ExampleConfig {
        Objects.requireNonNull(dbUrl, "dbUrl");
        dbUser = dbUser == null ? "" : dbUser;
        dbPassword = dbPassword == null ? "" : dbPassword;
        Objects.requireNonNull(migration, "migration");
        Objects.requireNonNull(health, "health");
        healthVariables = Map.copyOf(healthVariables);
        Objects.requireNonNull(drainTimeout, "drainTimeout");
        if (licenseFile != null && (licensePublicKey == null || licensePublicKey.isBlank())) {
            throw new IllegalArgumentException("VIGIL_LICENSE_FILE needs VIGIL_LICENSE_PUBLIC_KEY (the issuer's"
                    + " Ed25519 public key, PEM or Base64, or the path of a PEM file)");
        }
    }

    /** @return the defaults: ports 8080/9090, H2 in memory, 5 s migration, details when authorized, 1 s timeout */
    public static ExampleConfig defaults() {
        return fromEnvironment(Map.of());
    }

    /**
     * Reads the settings. Unset and empty variables take their defaults.
     *
     * @param env environment variables, e.g. {@link System#getenv()}
     * @return the settings
     * @throws IllegalArgumentException naming the variable when a value is invalid (secret values are not repeated)
     */
    public static ExampleConfig fromEnvironment(Map<String, String> env) {
        Reader r = new Reader(env);
        String dbUrl = r.text("VIGIL_DB_URL");
        boolean defaultDb = dbUrl == null;
        Map<String, String> healthVariables = new HashMap<>();
        Function<String, Optional<String>> variables = HealthSettings.environment(env::get, FORMER_NAMES);
        for (HealthSettings.Setting<?> s : HealthSettings.all()) {
            for (String key : keys(s)) {
                variables
                        .apply(key)
                        .ifPresent(v -> healthVariables.putIfAbsent(HealthSettings.environmentVariable(key), v));
            }
        }
        return new ExampleConfig(
                r.integer("VIGIL_HTTP_PORT", 8080, 0, 65535),
                r.integer("VIGIL_MANAGEMENT_PORT", 9090, 0, 65535),
                defaultDb ? DEFAULT_DB_URL : requireJdbc(dbUrl),
                r.textOr("VIGIL_DB_USER", defaultDb ? "sa" : ""),
                r.textOr("VIGIL_DB_PASSWORD", ""),
                r.text("VIGIL_REDIS_URL"),
                r.text("VIGIL_UPSTREAM_URL"),
                Duration.ofSeconds(r.integer("VIGIL_MIGRATION_SECONDS", 5, 0, 3600)),
                r.text("VIGIL_LICENSE_FILE") == null ? null : Path.of(r.text("VIGIL_LICENSE_FILE")),
                r.text("VIGIL_LICENSE_PUBLIC_KEY"),
                r.bool("VIGIL_LICENSE_FAILS_LIVENESS", true),
                health(healthVariables),
                healthVariables,
                r.text("VIGIL_ADMIN_TOKEN"),
                Duration.ofSeconds(r.integer("VIGIL_DRAIN_SECONDS", 10, 0, 300)),
                r.text("VIGIL_GRPC_PORT") == null ? null : r.integer("VIGIL_GRPC_PORT", 0, 0, 65535),
                r.text("VIGIL_KAFKA_BOOTSTRAP"),
                r.text("VIGIL_RABBITMQ_URI"));
    }

    /** A setting's key and the keys it had before (their variables are read too). */
    private static List<String> keys(HealthSettings.Setting<?> s) {
        List<String> keys = new ArrayList<>(List.of(s.key()));
        keys.addAll(s.deprecatedKeys());
        return keys;
    }

    /**
     * The library's settings from the {@code VIGIL_HEALTH_*} variables (read once, with the former names already
     * under the current ones), then the example's defaults; an invalid value names its variable.
     */
    private static HealthSettings health(Map<String, String> healthVariables) {
        Function<String, Optional<String>> given = HealthSettings.environment(healthVariables::get, Map.of());
        try {
            return HealthSettings.read(key -> given.apply(key).or(() -> Optional.ofNullable(HEALTH_DEFAULTS.get(key))));
        } catch (IllegalArgumentException e) {
            String message = String.valueOf(e.getMessage());
            int colon = message.indexOf(':');
            String key = colon < 0 ? "" : message.substring(0, colon);
            throw new IllegalArgumentException(
                    colon < 0 ? message : HealthSettings.environmentVariable(key) + message.substring(colon), e);
        }
    }

    /** @return who sees check data and messages ({@code VIGIL_HEALTH_DETAILS}) */
    public DetailsPolicy showDetails() {
        return health.details();
    }

    /** @return the timeout of every check ({@code VIGIL_HEALTH_TIMEOUT}) */
    public Duration checkTimeout() {
        return health.timeout();
    }

    /**
     * @param env environment variables
     * @return names starting with {@code VIGIL_} that the service does not know (typos), sorted
     */
    public static List<String> unknownNames(Map<String, String> env) {
        Set<String> known = new TreeSet<>(NAMES);
        known.addAll(FORMER_NAMES.values());
        HealthSettings.all()
                .forEach(s -> s.deprecatedKeys().forEach(k -> known.add(HealthSettings.environmentVariable(k))));
        return env.keySet().stream()
                .filter(n -> n.startsWith("VIGIL_") && !known.contains(n))
                .sorted()
                .toList();
    }

    /**
     * One line per setting, as printed at start: secrets are masked, URLs lose credentials and query strings.
     *
     * @return {@code NAME=value} lines, in a fixed order
     */
    public List<String> describe() {
        List<String> lines = new ArrayList<>();
        lines.add("VIGIL_HTTP_PORT=" + httpPort);
        lines.add("VIGIL_MANAGEMENT_PORT=" + managementPort);
        lines.add("VIGIL_DB_URL=" + Secrets.redact(dbUrl));
        lines.add("VIGIL_DB_USER=" + dbUser);
        lines.add("VIGIL_DB_PASSWORD=" + masked(dbPassword));
        lines.add("VIGIL_REDIS_URL=" + (redisUrl == null ? "(not set: no Redis check)" : Secrets.redact(redisUrl)));
        lines.add("VIGIL_UPSTREAM_URL="
                + (upstreamUrl == null ? "(not set: no upstream check)" : Secrets.redact(upstreamUrl)));
        lines.add("VIGIL_MIGRATION_SECONDS=" + migration.toSeconds());
        lines.add("VIGIL_LICENSE_FILE=" + (licenseFile == null ? "(not set: no license check)" : licenseFile));
        lines.add("VIGIL_LICENSE_PUBLIC_KEY=" + (licensePublicKey == null ? "(not set)" : "(set)"));
        lines.add("VIGIL_LICENSE_FAILS_LIVENESS=" + licenseFailsLiveness);
        lines.add("VIGIL_ADMIN_TOKEN="
                + (adminToken == null ? "(not set: admin endpoints answer 401)" : masked(adminToken)));
        lines.add("VIGIL_DRAIN_SECONDS=" + drainTimeout.toSeconds());
        lines.add("VIGIL_GRPC_PORT=" + (grpcPort == null ? "(not set: no gRPC health service)" : grpcPort));
        lines.add("VIGIL_KAFKA_BOOTSTRAP=" + (kafkaBootstrap == null ? "(not set: no Kafka check)" : kafkaBootstrap));
        lines.add("VIGIL_RABBITMQ_URI="
                + (rabbitmqUri == null ? "(not set: no RabbitMQ check)" : Secrets.safeUrl(rabbitmqUri)));
        for (HealthSettings.Setting<?> s : HealthSettings.all()) {
            String v = healthVariables.get(s.environmentVariable());
            lines.add(s.environmentVariable() + "="
                    + (v != null ? v : HEALTH_DEFAULTS.getOrDefault(s.key(), s.defaultText())));
        }
        return List.copyOf(lines);
    }

    /** @return whether the database is the built-in H2 default */
    public boolean defaultDatabase() {
        return dbUrl.equals(DEFAULT_DB_URL);
    }

    /**
     * @param name  an environment variable name from {@link #NAMES}
     * @param value its new value
     * @return these settings with one variable replaced, validated as {@link #fromEnvironment(Map)} does
     */
    ExampleConfig with(String name, String value) {
        if (!NAMES.contains(name)) {
            throw new IllegalArgumentException("unknown setting " + name);
        }
        Map<String, String> env = new HashMap<>(asEnvironment());
        env.put(name, value);
        return fromEnvironment(env);
    }

    /** @return these settings as environment variables (secrets included: for tests and child processes) */
    Map<String, String> asEnvironment() {
        Map<String, String> env = new HashMap<>();
        env.put("VIGIL_HTTP_PORT", Integer.toString(httpPort));
        env.put("VIGIL_MANAGEMENT_PORT", Integer.toString(managementPort));
        env.put("VIGIL_DB_URL", dbUrl);
        env.put("VIGIL_DB_USER", dbUser);
        env.put("VIGIL_DB_PASSWORD", dbPassword);
        putIf(env, "VIGIL_REDIS_URL", redisUrl);
        putIf(env, "VIGIL_UPSTREAM_URL", upstreamUrl);
        putIf(env, "VIGIL_KAFKA_BOOTSTRAP", kafkaBootstrap);
        putIf(env, "VIGIL_RABBITMQ_URI", rabbitmqUri);
        env.put("VIGIL_MIGRATION_SECONDS", Long.toString(migration.toSeconds()));
        putIf(env, "VIGIL_LICENSE_FILE", licenseFile == null ? null : licenseFile.toString());
        putIf(env, "VIGIL_LICENSE_PUBLIC_KEY", licensePublicKey);
        env.put("VIGIL_LICENSE_FAILS_LIVENESS", Boolean.toString(licenseFailsLiveness));
        putIf(env, "VIGIL_ADMIN_TOKEN", adminToken);
        env.putAll(healthVariables);
        env.put("VIGIL_DRAIN_SECONDS", Long.toString(drainTimeout.toSeconds()));
        putIf(env, "VIGIL_GRPC_PORT", grpcPort == null ? null : grpcPort.toString());
        return env;
    }

    private static void putIf(Map<String, String> env, String name, String value) {
        if (value != null) {
            env.put(name, value);
        }
    }

    @Override
    public String toString() {
        return "ExampleConfig" + describe();
    }

    private static String masked(String secret) {
        return secret == null || secret.isEmpty() ? "(not set)" : "****** (set)";
    }

    private static String requireJdbc(String url) {
        if (!url.startsWith("jdbc:")) {
            throw new IllegalArgumentException("VIGIL_DB_URL must be a JDBC URL starting with jdbc:");
        }
        return url;
    }

    /** Reads one variable at a time; empty counts as unset. */
    private record Reader(Map<String, String> env) {
        String text(String name) {
            String v = env.get(name);
            return v == null || v.isBlank() ? null : v.strip();
        }

        String textOr(String name, String fallback) {
            String v = text(name);
            return v == null ? fallback : v;
        }

        int integer(String name, int fallback, int min, int max) {
            String v = text(name);
            if (v == null) {
                return fallback;
            }
            try {
                int n = Integer.parseInt(v);
                if (n >= min && n <= max) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new IllegalArgumentException(
                    name + " must be a whole number from " + min + " to " + max + ", was '" + v + "'");
        }

        boolean bool(String name, boolean fallback) {
            String v = text(name);
            if (v == null) {
                return fallback;
            }
            return switch (v.toLowerCase(Locale.ROOT)) {
                case "true" -> true;
                case "false" -> false;
                default -> throw new IllegalArgumentException(name + " must be true or false, was '" + v + "'");
            };
        }
    }
}
