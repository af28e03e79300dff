package io.querk.plan;

/** How bad a hazard is. */
public enum Severity {
    /** Worth knowing; nothing to change. */
    INFO,
    /** Probably fine, possibly not: read the message. */
    WARNING,
    /** Blocks the application or breaks the old version: refused unless overridden with a reason. */
    DANGER
}
