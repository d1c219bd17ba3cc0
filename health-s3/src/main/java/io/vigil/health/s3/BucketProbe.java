package io.vigil.health.s3;

/** The request an {@link S3Check} proves the bucket with. */
public enum BucketProbe {
    /** {@code HeadBucket}: the cheapest request; needs {@code s3:ListBucket} on AWS. */
    HEAD_BUCKET,
    /**
     * {@code ListObjectsV2} with {@code max-keys=1}: for stores or policies that refuse {@code HeadBucket}; its error
     * body names the error code precisely (a HEAD answer has no body).
     */
    LIST_OBJECTS
}
