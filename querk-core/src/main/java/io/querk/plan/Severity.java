package io.querk.plan;

import io.querk.Api;

/** How bad a hazard is. */
@Api(status = Api.Status.STABLE, since = "0.1")
public enum Severity {
    /** Worth knowing; nothing to change. */
    INFO,
    /** Probably fine, possibly not: read the message. */
    WARNING,
    /** Blocks the application or breaks the old version: refused unless overridden with a reason. */
    DANGER
}
