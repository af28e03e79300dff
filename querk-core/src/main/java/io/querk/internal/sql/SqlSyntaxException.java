package io.querk.internal.sql;

/**
 * Thrown by the lexer when SQL text cannot be tokenised: an unterminated string,
 * quoted identifier, dollar quote or comment.
 */
public final class SqlSyntaxException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int offset;

    SqlSyntaxException(String message, int offset) {
        super(message);
        this.offset = offset;
    }

    /** @return where in the text the problem starts (0-based chars) */
    public int offset() {
        return offset;
    }
}
