package io.querk.jdbc.support;

import io.querk.jdbc.event.QuerkEvent;
import io.querk.jdbc.event.QuerkListener;

import java.util.ArrayList;
import java.util.List;

/** Keeps every event, thread-safely, for assertions. */
public final class Recorder implements QuerkListener {

    private final List<QuerkEvent> events = new ArrayList<>();

    @Override
    public synchronized void onEvent(QuerkEvent event) {
        events.add(event);
    }

    public synchronized <T extends QuerkEvent> List<T> of(Class<T> type) {
        return events.stream().filter(type::isInstance).map(type::cast).toList();
    }

    public synchronized List<QuerkEvent> all() {
        return List.copyOf(events);
    }
}
