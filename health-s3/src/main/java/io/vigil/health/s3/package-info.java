/**
 * A check of S3-compatible object storage (AWS, MinIO, Ceph, Garage, Hetzner, …) over the application's own AWS SDK
 * for Java v2 client: {@link io.vigil.health.s3.S3Check} proves the bucket is reachable and permitted and, when
 * asked, that an object exists and is recent ("last night's backup is there"). The SDK is a {@code provided}
 * dependency: the application brings its own client and version. Access keys and signed URLs never reach a message,
 * a data entry or a log line: only the SDK's error code and HTTP status are shown.
 */
@NullMarked
package io.vigil.health.s3;

import org.jspecify.annotations.NullMarked;
