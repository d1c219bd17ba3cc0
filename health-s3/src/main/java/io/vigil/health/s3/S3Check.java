package io.vigil.health.s3;

import io.vigil.health.AsyncHealthCheck;
import io.vigil.health.CheckContext;
import io.vigil.health.CheckKind;
import io.vigil.health.CheckPolicy;
import io.vigil.health.CheckResult;
import io.vigil.health.HealthCheck;
import io.vigil.health.Secrets;
import io.vigil.health.Status;
import io.vigil.health.internal.util.Require;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadBucketRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;

/**
 * Checks an S3-compatible bucket over the application's own AWS SDK v2 client: the bucket is reachable and the
 * client's credentials are permitted on it ({@code HeadBucket}, or {@code ListObjectsV2} with {@code max-keys=1}),
 * and optionally an object exists and is younger than a maximum age.
 *
 * <pre>{@code
 * registry.register("backups", S3Check.builder(s3AsyncClient, "nightly-backups")
 *                 .object("db/latest.dump").maxAge(Duration.ofHours(26), Status.DEGRADED)
 *                 .build(),
 *         CheckPolicy.builder().timeout(Duration.ofSeconds(3)).cacheTtl(Duration.ofMinutes(5)).build());
 * }</pre>
 *
 * <p>On an {@link S3AsyncClient} the check is an {@link AsyncHealthCheck} and holds no thread while the store is
 * silent; on an {@link S3Client} it blocks an engine thread. Each request carries its own API call timeout, set from
 * the time the engine gives the check (less a reserve for reporting, or the {@link Builder#timeout(Duration) cap}),
 * so the SDK's own diagnosis ("timed out", an error code) arrives before the engine's generic timeout, retries
 * included.
 *
 * <p>Verdicts: an error answer is DOWN and named by the SDK's error code and HTTP status ({@code NoSuchBucket},
 * {@code AccessDenied}, {@code SignatureDoesNotMatch}, {@code InvalidAccessKeyId}, {@code NoSuchKey}, …), except
 * throttling ({@code SlowDown}, HTTP 503), which is DEGRADED; an object older than its maximum age is DEGRADED or
 * DOWN, as configured. The store's own error message is never shown (it may echo a key id). Data: {@code bucket},
 * {@code region}, {@code endpoint} (when overridden), on an error {@code operation}, {@code errorCode},
 * {@code httpStatus}; for an object {@code key}, {@code lastModified} (ISO-8601), {@code ageSeconds},
 * {@code size}. Immutable and thread-safe; kind {@link CheckKind#DEPENDENCY}.
 */
public final class S3Check {
    private final S3Calls calls;
    private final String bucket;
    private final BucketProbe probe;
    private final @Nullable String key;
    private final @Nullable Duration maxAge;
    private final Status tooOld;
    private final @Nullable Duration cap; // null: the registration's timeout alone bounds the check
    private final Clock clock;
    private final String description;

    private S3Check(Builder b) {
        this.calls = b.calls;
        this.bucket = b.bucket;
        this.probe = b.probe;
        this.key = b.key;
        this.maxAge = b.maxAge;
        this.tooOld = b.tooOld;
        this.cap = b.timeout;
        this.clock = b.clock;
        this.description = "S3Check[" + b.bucket + (b.key != null ? "/" + b.key : "") + "]";
    }

    /**
     * @param client the application's asynchronous client; the check never closes it
     * @param bucket the bucket's name
     * @return a builder: {@link BucketProbe#HEAD_BUCKET}, no object, bounded by the registration's timeout
     * @throws IllegalArgumentException if the bucket is blank
     */
    public static Builder builder(S3AsyncClient client, String bucket) {
        return new Builder(S3Calls.of(Objects.requireNonNull(client, "client")), bucket, true);
    }

    /**
     * @param client the application's blocking client; the check never closes it
     * @param bucket the bucket's name
     * @return a builder: {@link BucketProbe#HEAD_BUCKET}, no object, bounded by the registration's timeout
     * @throws IllegalArgumentException if the bucket is blank
     */
    public static Builder builder(S3Client client, String bucket) {
        return new Builder(S3Calls.of(Objects.requireNonNull(client, "client")), bucket, false);
    }

    /** Runs the requests in turn; never fails: every failure is a result. */
    CompletableFuture<CheckResult> run(CheckContext context, AtomicReference<CompletableFuture<?>> inFlight) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("bucket", bucket);
        data.put("region", calls.region());
        if (calls.endpoint() != null) {
            data.put("endpoint", Secrets.safeUrl(calls.endpoint().toString()));
        }
        Duration first = ioTimeout(context);
        CompletableFuture<?> bucketCall;
        String operation;
        if (probe == BucketProbe.HEAD_BUCKET) {
            operation = "HeadBucket";
            bucketCall = calls.headBucket(HeadBucketRequest.builder()
                    .bucket(bucket)
                    .overrideConfiguration(limit(first))
                    .build());
        } else {
            operation = "ListObjectsV2";
            bucketCall = calls.listObjects(ListObjectsV2Request.builder()
                    .bucket(bucket)
                    .maxKeys(1)
                    .overrideConfiguration(limit(first))
                    .build());
        }
        inFlight.set(bucketCall);
        return bucketCall
                .handle((ok, error) -> error == null ? null : failure(operation, error, first, data))
                .thenCompose(failed -> {
                    if (failed != null) {
                        return CompletableFuture.completedFuture(failed);
                    }
                    if (key == null) {
                        return CompletableFuture.completedFuture(
                                CheckResult.of(Status.UP, "bucket " + bucket + " reachable (" + operation + ")")
                                        .withData(data));
                    }
                    Duration second = ioTimeout(context);
                    CompletableFuture<HeadObjectResponse> objectCall = calls.headObject(HeadObjectRequest.builder()
                            .bucket(bucket)
                            .key(key)
                            .overrideConfiguration(limit(second))
                            .build());
                    inFlight.set(objectCall);
                    return objectCall.handle((head, error) ->
                            error == null ? judge(head, data) : failure("HeadObject", error, second, data));
                });
    }

    private Duration ioTimeout(CheckContext context) {
        return cap != null ? context.ioTimeout(cap) : context.ioTimeout();
    }

    /**
     * The whole call, retries included, within the time given; no attempt timeout of its own: an attempt timing out
     * at the same instant would only start a retry on a new connection that the call's timeout then abandons.
     */
    private static AwsRequestOverrideConfiguration limit(Duration timeout) {
        return AwsRequestOverrideConfiguration.builder().apiCallTimeout(timeout).build();
    }

    private CheckResult judge(HeadObjectResponse head, Map<String, Object> data) {
        data.put("key", key);
        Instant modified = head.lastModified();
        if (head.contentLength() != null) {
            data.put("size", head.contentLength());
        }
        if (modified == null) {
            return maxAge == null
                    ? CheckResult.of(Status.UP, "object " + key + " present in " + bucket)
                            .withData(data)
                    : CheckResult.of(tooOld, "object " + key + " in " + bucket + " has no Last-Modified time")
                            .withData(data);
        }
        Duration age = Duration.between(modified, clock.instant());
        data.put("lastModified", modified.toString());
        data.put("ageSeconds", age.toSeconds());
        if (maxAge != null && age.compareTo(maxAge) > 0) {
            return CheckResult.of(
                            tooOld,
                            "object " + key + " in " + bucket + " is " + words(age) + " old, older than "
                                    + words(maxAge) + " (last modified " + modified + ")")
                    .withData(data);
        }
        return CheckResult.of(Status.UP, "object " + key + " in " + bucket + " present, " + words(age) + " old")
                .withData(data);
    }

    private CheckResult failure(String operation, Throwable error, Duration timeout, Map<String, Object> data) {
        Throwable e = unwrap(error);
        data.put("operation", operation);
        String subject = operation + " " + bucket + (operation.equals("HeadObject") ? "/" + key : "");
        if (e instanceof ApiCallTimeoutException || e instanceof ApiCallAttemptTimeoutException) {
            return CheckResult.of(Status.DOWN, subject + " timed out after " + timeout.toMillis() + " ms")
                    .withData(data);
        }
        if (e instanceof AwsServiceException s) {
            int status = s.statusCode();
            String code = s.awsErrorDetails() != null
                            && s.awsErrorDetails().errorCode() != null
                            && !s.awsErrorDetails().errorCode().isBlank()
                    ? s.awsErrorDetails().errorCode()
                    : codeOf(status, operation);
            data.put("errorCode", code);
            data.put("httpStatus", status);
            boolean throttled = "SlowDown".equals(code) || status == 503;
            return CheckResult.of(
                            throttled ? Status.DEGRADED : Status.DOWN,
                            subject + ": " + code + " (HTTP " + status + ")"
                                    + (throttled ? ", the store is throttling" : ""))
                    .withData(data);
        }
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ConnectException) {
                return CheckResult.of(Status.DOWN, subject + ": connection refused" + where())
                        .withData(data);
            }
            if (t instanceof UnknownHostException) {
                return CheckResult.of(Status.DOWN, subject + ": DNS lookup failed" + where())
                        .withData(data);
            }
        }
        return CheckResult.of(Status.DOWN, subject + " failed: " + Secrets.describe(e))
                .withData(data);
    }

    private String where() {
        return calls.endpoint() != null
                ? " by " + Secrets.safeUrl(calls.endpoint().toString())
                : "";
    }

    /** A HEAD answer has no body, so no error code: the status says what S3 means by it. */
    private static String codeOf(int status, String operation) {
        return switch (status) {
            case 301 -> "PermanentRedirect";
            case 400 -> "BadRequest";
            case 403 -> "AccessDenied";
            case 404 -> operation.equals("HeadObject") ? "NoSuchKey" : "NoSuchBucket";
            case 503 -> "SlowDown";
            default -> "HTTP" + status;
        };
    }

    private static Throwable unwrap(Throwable e) {
        Throwable t = e;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /** @return e.g. {@code 1 d 3 h}, {@code 5 h 12 min}, {@code 40 s} */
    static String words(Duration d) {
        long s = d.toSeconds();
        if (s >= 86_400) {
            return s / 86_400 + " d" + (s % 86_400 / 3600 > 0 ? " " + s % 86_400 / 3600 + " h" : "");
        }
        if (s >= 3600) {
            return s / 3600 + " h" + (s % 3600 / 60 > 0 ? " " + s % 3600 / 60 + " min" : "");
        }
        if (s >= 60) {
            return s / 60 + " min";
        }
        return s + " s";
    }

    @Override
    public String toString() {
        return description;
    }

    /** The check over an {@link S3AsyncClient}: holds no thread while the store is silent. */
    private static final class Async implements AsyncHealthCheck {
        private final S3Check check;

        Async(S3Check check) {
            this.check = check;
        }

        @Override
        public CompletionStage<CheckResult> checkAsync(CheckContext context) {
            AtomicReference<CompletableFuture<?>> inFlight = new AtomicReference<>();
            CompletableFuture<CheckResult> result = check.run(context, inFlight);
            // the engine cancels the stage at its deadline: the request in flight goes with it
            return result.whenComplete((r, e) -> {
                CompletableFuture<?> call = inFlight.get();
                if (result.isCancelled() && call != null) {
                    call.cancel(true);
                }
            });
        }

        @Override
        public CheckResult check() throws Exception {
            return check(check.direct());
        }

        @Override
        public CheckKind kind() {
            return CheckKind.DEPENDENCY;
        }

        @Override
        public String toString() {
            return check.toString();
        }
    }

    /** The check over an {@link S3Client}: blocks an engine thread, each request bounded by its own timeout. */
    private static final class Blocking implements HealthCheck {
        private final S3Check check;

        Blocking(S3Check check) {
            this.check = check;
        }

        @Override
        public CheckResult check(CheckContext context) {
            return check.run(context, new AtomicReference<>()).join(); // already complete: the calls blocked
        }

        @Override
        public CheckResult check() {
            return check(check.direct());
        }

        @Override
        public CheckKind kind() {
            return CheckKind.DEPENDENCY;
        }

        @Override
        public String toString() {
            return check.toString();
        }
    }

    private CheckContext direct() {
        return cap != null
                ? CheckContext.direct(cap)
                : CheckContext.within(CheckPolicy.defaults().timeout());
    }

    /** Builds the check. Not thread-safe. */
    public static final class Builder {
        private final S3Calls calls;
        private final String bucket;
        private final boolean async;
        private BucketProbe probe = BucketProbe.HEAD_BUCKET;
        private @Nullable String key;
        private @Nullable Duration maxAge;
        private Status tooOld = Status.DOWN;
        private @Nullable Duration timeout;
        private Clock clock = Clock.systemUTC();

        Builder(S3Calls calls, String bucket, boolean async) {
            this.calls = calls;
            this.bucket = Require.notBlank(bucket, "bucket");
            this.async = async;
        }

        /**
         * @param value the request that proves the bucket (default {@link BucketProbe#HEAD_BUCKET})
         * @return this builder
         */
        public Builder probe(BucketProbe value) {
            probe = Objects.requireNonNull(value, "probe");
            return this;
        }

        /**
         * @param value the key of an object that must exist ({@code HeadObject} after the bucket's request); a
         *              missing one is DOWN with {@code NoSuchKey}
         * @return this builder
         * @throws IllegalArgumentException if blank
         */
        public Builder object(String value) {
            key = Require.notBlank(value, "object");
            return this;
        }

        /**
         * @param value  the object's largest acceptable age, from its {@code Last-Modified} time to now
         * @param status what an older object is: {@link Status#DEGRADED} or {@link Status#DOWN}
         * @return this builder
         * @throws IllegalArgumentException unless the age is positive and the status DEGRADED or DOWN
         */
        public Builder maxAge(Duration value, Status status) {
            maxAge = Require.positive(value, "maxAge");
            if (Objects.requireNonNull(status, "status") == Status.UP) {
                throw new IllegalArgumentException("status of a too old object must be DEGRADED or DOWN");
            }
            tooOld = status;
            return this;
        }

        /**
         * @param value upper bound of each request's API call timeout; without it (the default) the registration's
         *              timeout less a reserve for reporting
         * @return this builder
         * @throws IllegalArgumentException unless positive
         */
        public Builder timeout(Duration value) {
            timeout = Require.positive(value, "timeout");
            return this;
        }

        /**
         * @param value the clock an object's age is measured against (default the system UTC clock)
         * @return this builder
         */
        public Builder clock(Clock value) {
            clock = Objects.requireNonNull(value, "clock");
            return this;
        }

        /**
         * @return the check: an {@link AsyncHealthCheck} over an {@link S3AsyncClient}, a blocking
         *         {@link HealthCheck} over an {@link S3Client}
         * @throws IllegalStateException if a maximum age is set without an object
         */
        public HealthCheck build() {
            if (maxAge != null && key == null) {
                throw new IllegalStateException("maxAge needs an object(key)");
            }
            S3Check check = new S3Check(this);
            return async ? new Async(check) : new Blocking(check);
        }
    }
}
