package io.vigil.health.s3;

import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.time.Duration;
import java.util.Properties;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.ForwardingBlobStore;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * A real S3-compatible server (S3Proxy, in-memory backend, AWS signature V2/V4 checked) on a free loopback port, and
 * clients for it as an application would build them. It can be told to throttle: its backend then answers as an S3
 * backend that is rate limiting ({@code 503 SlowDown}), which S3Proxy passes on as it does for its S3 backend.
 */
final class S3Store implements AutoCloseable {
    static final String ACCESS_KEY = "AKIAVIGILTESTKEY0001";
    static final String SECRET_KEY = "vigil/Test+Secret/Key0123456789abcdefghij";

    private final Throttling backend;
    private final S3Proxy server;

    S3Store() throws Exception {
        Properties p = new Properties();
        p.setProperty("jclouds.identity", ACCESS_KEY);
        p.setProperty("jclouds.credential", SECRET_KEY);
        backend = new Throttling(BlobStores.create("transient", p));
        server = S3Proxy.builder()
                .blobStore(backend)
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                .endpoint(URI.create("http://127.0.0.1:0"))
                .stopTimeout(0)
                .build();
        server.start();
        await("S3Proxy started").atMost(Duration.ofSeconds(30)).until(() -> "STARTED".equals(server.getState()));
    }

    int port() {
        return server.getPort();
    }

    void throttle(boolean value) {
        backend.throttling = value;
    }

    void stop() throws Exception {
        server.stop();
    }

    @Override
    public void close() {
        try {
            server.stop();
            backend.close();
        } catch (Exception e) { // stopping is the last thing a test does: fail it, loudly
            throw new IllegalStateException("could not stop the server", e);
        }
    }

    static S3Client blocking(int port, String accessKey, String secretKey) {
        return S3Client.builder()
                .endpointOverride(URI.create("http://127.0.0.1:" + port))
                .region(Region.US_EAST_1)
                .forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey)))
                .httpClientBuilder(Apache5HttpClient.builder())
                .build();
    }

    static S3AsyncClient async(int port, String accessKey, String secretKey) {
        return S3AsyncClient.builder()
                .endpointOverride(URI.create("http://127.0.0.1:" + port))
                .region(Region.US_EAST_1)
                .forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey)))
                .httpClientBuilder(NettyNioAsyncHttpClient.builder())
                .build();
    }

    /** The in-memory backend, or, while throttling, one that answers every bucket request with 503 SlowDown. */
    private static final class Throttling extends ForwardingBlobStore {
        volatile boolean throttling;

        Throttling(BlobStore delegate) {
            super(delegate);
        }

        private void maybeThrottle() {
            if (throttling) {
                throw (S3Exception) S3Exception.builder()
                        .statusCode(503)
                        .awsErrorDetails(AwsErrorDetails.builder()
                                .errorCode("SlowDown")
                                .errorMessage("Please reduce your request rate.")
                                .build())
                        .build();
            }
        }

        @Override
        public boolean containerExists(String container) {
            maybeThrottle();
            return super.containerExists(container);
        }

        @Override
        public ListObjectsV2Response list(ListObjectsV2Request request) {
            maybeThrottle();
            return super.list(request);
        }
    }
}
