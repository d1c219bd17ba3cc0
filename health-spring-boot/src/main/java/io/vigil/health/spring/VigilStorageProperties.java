package io.vigil.health.spring;

import io.vigil.health.Status;
import io.vigil.health.s3.BucketProbe;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the object storage check the starter registers ({@code vigil.health.s3.*}); the mail check takes its
 * settings from {@code spring.mail.*}.
 */
@ConfigurationProperties(prefix = VigilStorageProperties.PREFIX)
public class VigilStorageProperties {
    /** The prefix of these settings. */
    public static final String PREFIX = "vigil.health.s3";

    /** The bucket to check; unset, no S3 check is registered. */
    private @Nullable String bucket;
    /** A request to prove the bucket with: head-bucket, or list-objects where HeadBucket is refused. */
    private BucketProbe probe = BucketProbe.HEAD_BUCKET;
    /** The key of an object that must exist, e.g. the latest backup. */
    private @Nullable String object;
    /** The object's largest age; unset, any age. */
    private @Nullable Duration maxAge;
    /** What an object older than max-age is: DEGRADED or DOWN. */
    private Status tooOld = Status.DEGRADED;

    /** Created by Spring. */
    public VigilStorageProperties() {}

    /** @return the bucket, or null */
    public @Nullable String getBucket() {
        return bucket;
    }

    /** @param bucket the bucket to check */
    public void setBucket(String bucket) {
        this.bucket = bucket;
    }

    /** @return the request that proves the bucket */
    public BucketProbe getProbe() {
        return probe;
    }

    /** @param probe the request that proves the bucket */
    public void setProbe(BucketProbe probe) {
        this.probe = probe;
    }

    /** @return the object's key, or null */
    public @Nullable String getObject() {
        return object;
    }

    /** @param object the key of an object that must exist */
    public void setObject(String object) {
        this.object = object;
    }

    /** @return the object's largest age, or null */
    public @Nullable Duration getMaxAge() {
        return maxAge;
    }

    /** @param maxAge the object's largest age */
    public void setMaxAge(Duration maxAge) {
        this.maxAge = maxAge;
    }

    /** @return the status of an object older than max-age */
    public Status getTooOld() {
        return tooOld;
    }

    /** @param tooOld the status of an object older than max-age: DEGRADED or DOWN */
    public void setTooOld(Status tooOld) {
        this.tooOld = tooOld;
    }
}
