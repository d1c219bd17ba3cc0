package io.vigil.health.config;

import io.vigil.health.CheckPolicy;
import io.vigil.health.HealthRegistry;
import io.vigil.health.Probe;
import io.vigil.health.Scope;
import io.vigil.health.endpoint.DetailsPolicy;
import io.vigil.health.endpoint.HealthHandler;
import io.vigil.health.endpoint.StatusPolicy;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one settings specification of every entry point: each endpoint and check-default setting's key, type, default,
 * parsing and validation live here, and {@link #applyTo(HealthHandler.Builder)} / {@link #applyTo(CheckPolicy.Builder)}
 * put them on the builders. An entry point only supplies a lookup from a key to a text:
 * <pre>{@code
 * HealthSettings settings = HealthSettings.read(HealthSettings.prefixed("vigil.health.", System::getProperty));
 * HealthHandler handler = settings.applyTo(HealthHandler.builder(registry)).build();
 * }</pre>
 * The keys are the same everywhere; only the prefix belongs to the medium: servlet init parameters have none
 * ({@code base-path}), servlet context parameters, MicroProfile Config and Spring Boot use {@code vigil.health.}
 * ({@code vigil.health.base-path}), and environment variables ({@link #environment(Function, Map)}) spell the
 * prefixed key in upper case with every {@code .} and {@code -} as {@code _} ({@code VIGIL_HEALTH_BASE_PATH}), the
 * rule Spring Boot's relaxed binding and MicroProfile Config's environment source also apply. A key that a setting
 * used to have is still read, with a deprecation warning in the log, for one release. Like {@code CaffeineSpec}:
 * immutable and thread-safe.
 */
public final class HealthSettings {
    private static final Logger LOG = LoggerFactory.getLogger(HealthSettings.class);

    /** The prefix of the settings under MicroProfile Config, Spring Boot and servlet context parameters. */
    public static final String PREFIX = "vigil.health.";

    /**
     * One setting: its key, the type of its text, its default, what it does, and how its text is parsed and
     * validated.
     *
     * @param <T> the type of its value
     */
    public static final class Setting<T> {
        private final String key;
        private final String type;
        private final String defaultText;
        private final String meaning;
        private final Function<String, T> parser;
        private final List<String> deprecatedKeys;

        private Setting(
                String key,
                String type,
                String defaultText,
                String meaning,
                Function<String, T> parser,
                String... deprecatedKeys) {
            this.key = key;
            this.type = type;
            this.defaultText = defaultText;
            this.meaning = meaning;
            this.parser = parser;
            this.deprecatedKeys = List.of(deprecatedKeys);
        }

        /** @return the environment variable of this setting, e.g. {@code VIGIL_HEALTH_BASE_PATH} */
        public String environmentVariable() {
            return HealthSettings.environmentVariable(key);
        }

        /**
         * Parses and validates a text as every entry point does, for an entry point that binds typed values itself
         * (Spring Boot's configuration metadata needs typed properties) and must refuse what the others refuse.
         *
         * @param text the setting's text (leading and trailing blanks ignored)
         * @return the value
         * @throws IllegalArgumentException for an invalid text; the message starts with the key, e.g.
         *     {@code base-path: must be empty or like /health (leading slash, no trailing slash)}
         */
        public T parse(String text) {
            Objects.requireNonNull(text, key);
            try {
                return parser.apply(text.trim());
            } catch (IllegalArgumentException | DateTimeParseException e) {
                throw new IllegalArgumentException(key + ": " + e.getMessage(), e);
            }
        }

        /** @return the key, without a prefix, e.g. {@code base-path} */
        public String key() {
            return key;
        }

        /** @return what the text may be, e.g. {@code duration} */
        public String type() {
            return type;
        }

        /** @return the default, as the docs show it, e.g. {@code /health} or {@code none} */
        public String defaultText() {
            return defaultText;
        }

        /** @return one sentence on what the setting does */
        public String meaning() {
            return meaning;
        }

        /** @return keys this setting had before, still read with a deprecation warning */
        public List<String> deprecatedKeys() {
            return deprecatedKeys;
        }

        @Override
        public String toString() {
            return key;
        }
    }

    /** Base path of the probe paths; empty serves them at the mount root. */
    public static final Setting<String> BASE_PATH = new Setting<>(
            "base-path",
            "path",
            "/health",
            "base of the probe paths (`/health/ready` ...); empty serves them at the mount root",
            HealthSettings::basePath);
    /** Version prefixes. */
    public static final Setting<List<String>> VERSION_PREFIXES = new Setting<>(
            "version-prefixes",
            "comma-separated segments",
            "none",
            "every path is also answered under each prefix, e.g. `R4` for `/R4/$liveness`",
            HealthSettings::prefixes);
    /** Path aliases. */
    public static final Setting<Map<String, Scope>> PATH_ALIASES = new Setting<>(
            "path-aliases",
            "comma-separated path=scope",
            "none",
            "extra exact paths for a scope (`liveness`, `readiness`, `startup`, `all`, `group:<name>`), e.g."
                    + " `/ready=readiness,/api/health/ready=readiness`",
            HealthSettings::aliases);
    /** Who sees details. */
    public static final Setting<DetailsPolicy> DETAILS = new Setting<>(
            "details",
            "never, always, when-authorized",
            "never",
            "who sees check data, messages and lock descriptions",
            v -> constant(DetailsPolicy.class, v));
    /** Strict MicroProfile JSON. */
    public static final Setting<Boolean> STRICT_MICROPROFILE = new Setting<>(
            "strict-microprofile",
            "boolean",
            "false",
            "emit exactly the MicroProfile Health JSON schema",
            HealthSettings::bool);
    /** The JSON representation. */
    public static final Setting<HealthHandler.JsonFormat> JSON_FORMAT = new Setting<>(
            "json-format",
            "microprofile, status-word",
            "microprofile",
            "the `application/json` representation: MicroProfile Health, or `{\"status\":\"healthy|degraded|unhealthy\"}`",
            v -> constant(HealthHandler.JsonFormat.class, v));
    /** The status policy preset. */
    public static final Setting<StatusPolicy.Preset> STATUS_POLICY = new Setting<>(
            "status-policy",
            "defaults, consul, envoy, kubelet-safe",
            "defaults",
            "outcome → HTTP status and headers",
            StatusPolicy.Preset::of);
    /** The status page's reload period. */
    public static final Setting<Duration> PAGE_REFRESH = new Setting<>(
            "page-refresh",
            "duration",
            "5s",
            "how often the `text/html` status page reloads itself; 0 never",
            v -> duration(v, true));
    /** The operator's out-of-service control. */
    public static final Setting<Boolean> OPERATOR_CONTROL = new Setting<>(
            "operator-control",
            "boolean",
            "false",
            "serve the operator's out-of-service control (`POST`/`DELETE` on `<base>/out-of-service`) to authorized"
                    + " callers",
            HealthSettings::bool);
    /** Default check timeout. */
    public static final Setting<Duration> TIMEOUT = new Setting<>(
            "timeout",
            "duration",
            "1s",
            "timeout of every check the entry point registers, unless the check sets its own",
            v -> duration(v, false),
            "check-timeout");
    /** Default check cache TTL. */
    public static final Setting<Duration> CACHE_TTL = new Setting<>(
            "cache-ttl",
            "duration",
            "1s",
            "how long a check's result is reused; 0 disables caching",
            v -> duration(v, true));

    private static final List<Setting<?>> ENDPOINT = List.of(
            BASE_PATH,
            VERSION_PREFIXES,
            PATH_ALIASES,
            DETAILS,
            STRICT_MICROPROFILE,
            JSON_FORMAT,
            STATUS_POLICY,
            PAGE_REFRESH,
            OPERATOR_CONTROL);
    private static final List<Setting<?>> ALL = List.of(
            BASE_PATH,
            VERSION_PREFIXES,
            PATH_ALIASES,
            DETAILS,
            STRICT_MICROPROFILE,
            JSON_FORMAT,
            STATUS_POLICY,
            PAGE_REFRESH,
            OPERATOR_CONTROL,
            TIMEOUT,
            CACHE_TTL);

    private static final HealthSettings DEFAULTS = read(key -> Optional.empty());

    private final String basePath;
    private final List<String> versionPrefixes;
    private final Map<String, Scope> pathAliases;
    private final DetailsPolicy details;
    private final boolean strictMicroProfile;
    private final HealthHandler.JsonFormat jsonFormat;
    private final StatusPolicy.Preset statusPolicy;
    private final Duration pageRefresh;
    private final boolean operatorControl;
    private final Duration timeout;
    private final Duration cacheTtl;
    private final List<Setting<?>> set;

    private HealthSettings(Reader r) {
        this.basePath = r.text(BASE_PATH, "/health");
        this.versionPrefixes = r.text(VERSION_PREFIXES, List.of());
        this.pathAliases = r.text(PATH_ALIASES, Map.of());
        this.details = r.text(DETAILS, DetailsPolicy.NEVER);
        this.strictMicroProfile = r.text(STRICT_MICROPROFILE, false);
        this.jsonFormat = r.text(JSON_FORMAT, HealthHandler.JsonFormat.MICROPROFILE);
        this.statusPolicy = r.text(STATUS_POLICY, StatusPolicy.Preset.DEFAULTS);
        this.pageRefresh = r.text(PAGE_REFRESH, Duration.ofSeconds(5));
        this.operatorControl = r.text(OPERATOR_CONTROL, false);
        this.timeout = r.text(TIMEOUT, Duration.ofSeconds(1));
        this.cacheTtl = r.text(CACHE_TTL, Duration.ofSeconds(1));
        this.set = List.copyOf(r.set);
    }

    /** @return every setting, in the order of the docs */
    public static List<Setting<?>> all() {
        return ALL;
    }

    /**
     * @return the endpoint settings, which every entry point applies to its handler (all but the check defaults
     *     {@link #TIMEOUT} and {@link #CACHE_TTL}, which apply where the entry point registers checks: MicroProfile
     *     and Spring Boot)
     */
    public static List<Setting<?>> endpoint() {
        return ENDPOINT;
    }

    /** @return the defaults of every setting */
    public static HealthSettings defaults() {
        return DEFAULTS;
    }

    /**
     * Reads every setting.
     *
     * @param lookup key (without prefix, e.g. {@code base-path}) → its text, or empty when not set
     * @return the settings
     * @throws IllegalArgumentException for an invalid value; the message names the key
     */
    public static HealthSettings read(Function<String, Optional<String>> lookup) {
        return new HealthSettings(new Reader(Objects.requireNonNull(lookup, "lookup")));
    }

    /**
     * A lookup for a medium whose keys carry a prefix, e.g. system properties or servlet context parameters.
     *
     * @param prefix             e.g. {@value #PREFIX}, or {@code ""}
     * @param raw                full key → text, or {@code null} when not set
     * @param deprecatedPrefixes prefixes read after {@code prefix}, with a deprecation warning (for one release)
     * @return key without prefix → text
     */
    public static Function<String, Optional<String>> prefixed(
            String prefix, Function<String, String> raw, String... deprecatedPrefixes) {
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(raw, "raw");
        List<String> old = List.of(deprecatedPrefixes);
        return key -> {
            String v = raw.apply(prefix + key);
            if (v != null) {
                return Optional.of(v);
            }
            for (String p : old) {
                v = raw.apply(p + key);
                if (v != null) {
                    deprecated(p + key, prefix + key);
                    return Optional.of(v);
                }
            }
            return Optional.empty();
        };
    }

    /**
     * The environment variable of a key: {@value #PREFIX} and the key in upper case, every {@code .} and {@code -}
     * as {@code _}: {@code timeout} → {@code VIGIL_HEALTH_TIMEOUT}, {@code check-timeout} →
     * {@code VIGIL_HEALTH_CHECK_TIMEOUT}.
     *
     * @param key a key without prefix, e.g. {@code base-path}
     * @return its environment variable, e.g. {@code VIGIL_HEALTH_BASE_PATH}
     */
    public static String environmentVariable(String key) {
        return (PREFIX + Objects.requireNonNull(key, "key"))
                .toUpperCase(Locale.ROOT)
                .replace('.', '_')
                .replace('-', '_');
    }

    /**
     * A lookup over environment variables named by {@link #environmentVariable(String)}. A variable that is set is
     * a value, also when empty (an empty {@code VIGIL_HEALTH_BASE_PATH} serves the probes at the mount root).
     *
     * @param variables       variable name → value, or {@code null} when not set: {@code System::getenv}, or
     *                        {@code map::get} in a test
     * @param formerVariables key → the variable an application used for it before, read after the current name
     *                        with a deprecation warning (for one release), e.g. {@code timeout} →
     *                        {@code VIGIL_CHECK_TIMEOUT_MS}
     * @return key without prefix → text
     */
    public static Function<String, Optional<String>> environment(
            Function<String, String> variables, Map<String, String> formerVariables) {
        Objects.requireNonNull(variables, "variables");
        Map<String, String> former = Map.copyOf(formerVariables);
        return key -> {
            String name = environmentVariable(key);
            String v = variables.apply(name);
            if (v != null) {
                return Optional.of(v);
            }
            String old = former.get(key);
            if (old == null) {
                return Optional.empty();
            }
            String oldValue = variables.apply(old);
            if (oldValue == null) {
                return Optional.empty();
            }
            deprecated(old, name);
            return Optional.of(oldValue);
        };
    }

    /**
     * Puts the endpoint settings on a handler builder.
     *
     * @param builder the handler builder
     * @return the same builder
     */
    public HealthHandler.Builder applyTo(HealthHandler.Builder builder) {
        builder.basePath(basePath)
                .versionPrefixes(versionPrefixes.toArray(String[]::new))
                .details(details)
                .strictMicroProfile(strictMicroProfile)
                .jsonFormat(jsonFormat)
                .statusPolicy(statusPolicy.policy())
                .pageRefresh(pageRefresh)
                .operatorControl(operatorControl);
        pathAliases.forEach(builder::pathAlias);
        return builder;
    }

    /**
     * Puts the check defaults ({@code timeout}, {@code cache-ttl}) on a policy builder.
     *
     * @param builder the policy builder
     * @return the same builder
     */
    public CheckPolicy.Builder applyTo(CheckPolicy.Builder builder) {
        return builder.timeout(timeout).cacheTtl(cacheTtl);
    }

    /**
     * @param registry the registry to serve
     * @return a handler with these settings
     */
    public HealthHandler handler(HealthRegistry registry) {
        return applyTo(HealthHandler.builder(registry)).build();
    }

    /**
     * @param setting a setting
     * @return whether the lookup gave it a value (under its key or a deprecated one), rather than its default
     */
    public boolean isSet(Setting<?> setting) {
        return set.contains(setting);
    }

    /** @return the base path, e.g. {@code /health} */
    public String basePath() {
        return basePath;
    }

    /** @return the version prefixes */
    public List<String> versionPrefixes() {
        return versionPrefixes;
    }

    /** @return path alias → scope */
    public Map<String, Scope> pathAliases() {
        return pathAliases;
    }

    /** @return who sees details */
    public DetailsPolicy details() {
        return details;
    }

    /** @return the {@code application/json} representation */
    public HealthHandler.JsonFormat jsonFormat() {
        return jsonFormat;
    }

    /** @return the default check timeout */
    public Duration timeout() {
        return timeout;
    }

    /** @return the default check cache TTL */
    public Duration cacheTtl() {
        return cacheTtl;
    }

    @Override
    public String toString() {
        return "HealthSettings[base-path=" + basePath + ", version-prefixes=" + versionPrefixes + ", path-aliases="
                + pathAliases.keySet() + ", details=" + details + ", strict-microprofile=" + strictMicroProfile
                + ", json-format=" + jsonFormat + ", status-policy=" + statusPolicy + ", page-refresh=" + pageRefresh
                + ", operator-control=" + operatorControl
                + ", timeout=" + timeout + ", cache-ttl=" + cacheTtl + "]";
    }

    /** Reads one setting's text through the lookup, its deprecated keys after it, and parses it. */
    private static final class Reader {
        private final Function<String, Optional<String>> lookup;
        private final List<Setting<?>> set = new ArrayList<>();

        Reader(Function<String, Optional<String>> lookup) {
            this.lookup = lookup;
        }

        <T> T text(Setting<T> s, T fallback) {
            Optional<String> v = lookup.apply(s.key);
            for (String old : s.deprecatedKeys) {
                if (v.isPresent()) {
                    break;
                }
                v = lookup.apply(old);
                if (v.isPresent()) {
                    deprecated(old, s.key);
                }
            }
            if (v.isEmpty()) {
                return fallback;
            }
            set.add(s);
            return s.parse(v.get());
        }
    }

    private static void deprecated(String old, String current) {
        LOG.atWarn()
                .addKeyValue("setting", old)
                .addKeyValue("replacement", current)
                .log("health setting {} is deprecated and will be removed; use {}", old, current);
    }

    private static String basePath(String v) {
        if (!v.isEmpty() && (!v.startsWith("/") || v.endsWith("/"))) {
            throw new IllegalArgumentException("must be empty or like /health (leading slash, no trailing slash)");
        }
        return v;
    }

    private static List<String> prefixes(String v) {
        List<String> out = new ArrayList<>();
        for (String p : v.split(",", -1)) { // empty fields are skipped below
            String t = p.trim();
            if (t.isEmpty()) {
                continue;
            }
            if (t.indexOf('/') >= 0) {
                throw new IllegalArgumentException("a version prefix is one path segment, not " + t);
            }
            out.add(t);
        }
        return List.copyOf(out);
    }

    private static Map<String, Scope> aliases(String v) {
        Map<String, Scope> out = new LinkedHashMap<>();
        for (String a : v.split(",", -1)) { // empty fields are skipped below
            String t = a.trim();
            if (t.isEmpty()) {
                continue;
            }
            int eq = t.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("a path alias is path=scope, e.g. /ready=readiness, not " + t);
            }
            out.put(t.substring(0, eq).trim(), scope(t.substring(eq + 1).trim()));
        }
        return Map.copyOf(out);
    }

    private static Scope scope(String v) {
        String s = v.toLowerCase(Locale.ROOT);
        if (s.startsWith("group:") && s.length() > 6) {
            String group = v.substring(6);
            CheckPolicy.builder().groups(group); // the one group-name rule
            return Scope.group(group);
        }
        return switch (s) {
            case "all" -> Scope.all();
            case "liveness", "live" -> Scope.of(Probe.LIVENESS);
            case "readiness", "ready" -> Scope.of(Probe.READINESS);
            case "startup", "started" -> Scope.of(Probe.STARTUP);
            default ->
                throw new IllegalArgumentException(
                        "scope must be liveness, readiness, startup, all or" + " group:<name>, not " + v);
        };
    }

    private static boolean bool(String v) {
        if (v.equalsIgnoreCase("true")) {
            return true;
        }
        if (v.equalsIgnoreCase("false")) {
            return false;
        }
        throw new IllegalArgumentException("must be true or false, not " + v);
    }

    private static <E extends Enum<E>> E constant(Class<E> type, String v) {
        try {
            return Enum.valueOf(type, v.toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            List<String> names = new ArrayList<>();
            for (E c : type.getEnumConstants()) {
                names.add(c.name().toLowerCase(Locale.ROOT).replace('_', '-'));
            }
            throw new IllegalArgumentException("must be one of " + String.join(", ", names) + ", not " + v);
        }
    }

    /**
     * A duration: ISO-8601 ({@code PT2S}), a number with a unit ({@code 500ms}, {@code 2s}, {@code 1m},
     * {@code 1h}), or a bare number of milliseconds.
     */
    static Duration duration(String v, boolean zeroAllowed) {
        Duration d;
        String s = v.toLowerCase(Locale.ROOT);
        try {
            if (s.startsWith("pt") || s.startsWith("p")) {
                d = Duration.parse(v.toUpperCase(Locale.ROOT));
            } else if (s.endsWith("ms")) {
                d = Duration.ofMillis(
                        Long.parseLong(s.substring(0, s.length() - 2).trim()));
            } else if (s.endsWith("s")) {
                d = Duration.ofSeconds(
                        Long.parseLong(s.substring(0, s.length() - 1).trim()));
            } else if (s.endsWith("m")) {
                d = Duration.ofMinutes(
                        Long.parseLong(s.substring(0, s.length() - 1).trim()));
            } else if (s.endsWith("h")) {
                d = Duration.ofHours(
                        Long.parseLong(s.substring(0, s.length() - 1).trim()));
            } else {
                d = Duration.ofMillis(Long.parseLong(s));
            }
        } catch (NumberFormatException | DateTimeParseException e) {
            throw new IllegalArgumentException("must be a duration like 500ms, 2s, PT2S or milliseconds, not " + v);
        }
        if (d.isNegative() || (!zeroAllowed && d.isZero())) {
            throw new IllegalArgumentException(zeroAllowed ? "must not be negative" : "must be positive");
        }
        return d;
    }
}
