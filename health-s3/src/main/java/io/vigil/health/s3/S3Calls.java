package io.vigil.health.s3;

import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadBucketRequest;
import software.amazon.awssdk.services.s3.model.HeadBucketResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;

/**
 * The three requests a check makes, over either client: the asynchronous client's futures as they are, the blocking
 * client's answers as completed futures, so that one interpretation serves both.
 */
interface S3Calls {
    CompletableFuture<HeadBucketResponse> headBucket(HeadBucketRequest request);

    CompletableFuture<ListObjectsV2Response> listObjects(ListObjectsV2Request request);

    CompletableFuture<HeadObjectResponse> headObject(HeadObjectRequest request);

    /** @return the endpoint override, if any, for the data (never with user-info or query) */
    @Nullable
    URI endpoint();

    /** @return the client's region id */
    String region();

    static S3Calls of(S3AsyncClient client) {
        return new S3Calls() {
            @Override
            public CompletableFuture<HeadBucketResponse> headBucket(HeadBucketRequest request) {
                return client.headBucket(request);
            }

            @Override
            public CompletableFuture<ListObjectsV2Response> listObjects(ListObjectsV2Request request) {
                return client.listObjectsV2(request);
            }

            @Override
            public CompletableFuture<HeadObjectResponse> headObject(HeadObjectRequest request) {
                return client.headObject(request);
            }

            @Override
            public @Nullable URI endpoint() {
                return client.serviceClientConfiguration().endpointOverride().orElse(null);
            }

            @Override
            public String region() {
                return client.serviceClientConfiguration().region().id();
            }
        };
    }

    static S3Calls of(S3Client client) {
        return new S3Calls() {
            @Override
            public CompletableFuture<HeadBucketResponse> headBucket(HeadBucketRequest request) {
                return now(() -> client.headBucket(request));
            }

            @Override
            public CompletableFuture<ListObjectsV2Response> listObjects(ListObjectsV2Request request) {
                return now(() -> client.listObjectsV2(request));
            }

            @Override
            public CompletableFuture<HeadObjectResponse> headObject(HeadObjectRequest request) {
                return now(() -> client.headObject(request));
            }

            @Override
            public @Nullable URI endpoint() {
                return client.serviceClientConfiguration().endpointOverride().orElse(null);
            }

            @Override
            public String region() {
                return client.serviceClientConfiguration().region().id();
            }
        };
    }

    /** Runs a blocking call now: its answer, or its failure, as a completed future. */
    private static <T> CompletableFuture<T> now(Supplier<T> call) {
        try {
            return CompletableFuture.completedFuture(call.get());
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
