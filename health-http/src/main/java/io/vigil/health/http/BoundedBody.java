package io.vigil.health.http;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import org.jspecify.annotations.Nullable;

/**
 * Collects at most {@code limit} bytes of a response body, then cancels the rest, so an endless or huge body
 * costs a bounded amount of memory and time: the prefix read ({@code bytes}) and whether the body was longer
 * ({@code truncated}).
 */
final class BoundedBody { // not a record: it would compare the array by identity
    private final byte[] bytes;
    private final boolean truncated;

    BoundedBody(byte[] bytes, boolean truncated) {
        this.bytes = bytes;
        this.truncated = truncated;
    }

    byte[] bytes() {
        return bytes;
    }

    boolean truncated() {
        return truncated;
    }

    static final BoundedBody EMPTY = new BoundedBody(new byte[0], false);

    /**
     * @param limit bytes to keep; 0 reads nothing and cancels the body at once
     * @return a subscriber for {@link HttpResponse.BodyHandler}
     */
    static HttpResponse.BodySubscriber<BoundedBody> subscriber(int limit) {
        return new Subscriber(limit);
    }

    /** Drains a body that HTTP says is empty (HEAD) without keeping anything. */
    static HttpResponse.BodySubscriber<BoundedBody> discarding() {
        return HttpResponse.BodySubscribers.replacing(EMPTY);
    }

    private static final class Subscriber implements HttpResponse.BodySubscriber<BoundedBody> {
        private final int limit;
        private final CompletableFuture<BoundedBody> result = new CompletableFuture<>();
        private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        private Flow.@Nullable Subscription subscription; // only touched by the publisher's serialized signals

        Subscriber(int limit) {
            this.limit = limit;
        }

        @Override
        public CompletionStage<BoundedBody> getBody() {
            return result;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            if (limit == 0) {
                s.cancel();
                result.complete(new BoundedBody(new byte[0], true));
            } else {
                s.request(1);
            }
        }

        @Override
        public void onNext(List<ByteBuffer> items) {
            if (result.isDone()) {
                return;
            }
            Flow.Subscription s =
                    Objects.requireNonNull(subscription, "onSubscribe comes first (Reactive Streams 1.9)");
            for (ByteBuffer b : items) {
                int room = limit - buffer.size();
                int n = Math.min(room, b.remaining());
                byte[] chunk = new byte[n];
                b.get(chunk);
                buffer.write(chunk, 0, n);
                if (b.hasRemaining()) {
                    s.cancel();
                    result.complete(new BoundedBody(buffer.toByteArray(), true));
                    return;
                }
            }
            s.request(1);
        }

        @Override
        public void onError(Throwable error) {
            result.completeExceptionally(error);
        }

        @Override
        public void onComplete() {
            result.complete(new BoundedBody(buffer.toByteArray(), false));
        }
    }
}
