package io.vigil.health.redis;

import java.io.IOException;

/** A reply {@link RedisProbeCheck} cannot accept. The message is ours, never the peer's bytes. */
final class RespException extends IOException {
    private static final long serialVersionUID = 1L;

    /** What went wrong with the reply. */
    enum Kind {
        /** Not RESP, or not the reply the command calls for. */
        MALFORMED,
        /** Larger than the configured limit. */
        TOO_LARGE,
        /** The peer closed the connection before a complete reply. */
        CLOSED
    }

    private final Kind kind;

    RespException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    Kind kind() {
        return kind;
    }
}
