package io.vigil.health.mail;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One SMTP reply (RFC 5321 §4.2): a three-digit code and the text of its lines. Made by {@link Parser}, which
 * takes the lines one at a time and refuses, with a {@link SmtpProtocolException}, anything a server should not
 * send: a line without a code, a code outside 200–599, a continuation that changes the code, or more lines than
 * a client has reason to hold.
 */
record SmtpReply(int code, List<String> lines) {
    /** More lines in one reply than any EHLO answer needs; a server sending more is misbehaving. */
    static final int MAX_LINES = 100;

    SmtpReply {
        lines = List.copyOf(lines);
    }

    /** @return the code and the lines' text on one line, e.g. {@code 535 5.7.8 authentication failed} */
    String text() {
        StringBuilder b = new StringBuilder().append(code);
        for (String l : lines) {
            if (!l.isEmpty()) {
                b.append(' ').append(l);
            }
        }
        return b.toString();
    }

    /** @return whether the code is in the class {@code digit}xx */
    boolean is(int digit) {
        return code / 100 == digit;
    }

    /** Assembles one reply from its lines. Not thread-safe; one per reply. */
    static final class Parser {
        private final List<String> lines = new ArrayList<>();
        private int code = -1;

        /**
         * @param line one line without its CRLF
         * @return the reply when this was its last line, else {@code null}
         * @throws SmtpProtocolException if the line is not a reply line or does not continue the reply
         */
        @Nullable
        SmtpReply accept(String line) throws SmtpProtocolException {
            if (line.length() < 3 || !digit(line.charAt(0)) || !digit(line.charAt(1)) || !digit(line.charAt(2))) {
                throw new SmtpProtocolException("not an SMTP reply line: " + SmtpCheck.printable(line));
            }
            int c = Integer.parseInt(line.substring(0, 3));
            if (c < 200 || c > 599) {
                throw new SmtpProtocolException("reply code " + c + " out of range");
            }
            if (code >= 0 && c != code) {
                throw new SmtpProtocolException("reply code changed from " + code + " to " + c + " within one reply");
            }
            code = c;
            boolean more = line.length() > 3 && line.charAt(3) == '-';
            if (line.length() > 3 && !more && line.charAt(3) != ' ') {
                throw new SmtpProtocolException("not an SMTP reply line: " + SmtpCheck.printable(line));
            }
            if (lines.size() == MAX_LINES) {
                throw new SmtpProtocolException("reply longer than " + MAX_LINES + " lines");
            }
            lines.add(line.length() > 4 ? line.substring(4) : "");
            return more ? null : new SmtpReply(code, lines);
        }

        private static boolean digit(char c) {
            return c >= '0' && c <= '9';
        }
    }
}
