package io.querk.samples.springboot;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A shipment. {@code destCity} is the column this release's migration adds: JPA validates it exists. */
@Entity
@Table(name = "shipments")
public class Shipment {

    @Id
    private Long id;

    @Column(nullable = false)
    private String destination;

    // Written by the sync trigger from destination; the application only reads it in this release.
    @Column(name = "dest_city", insertable = false, updatable = false)
    private String destCity;

    protected Shipment() {
    }

    public Shipment(Long id, String destination) {
        this.id = id;
        this.destination = destination;
    }

    public Long getId() {
        return id;
    }

    public String getDestination() {
        return destination;
    }

    public String getDestCity() {
        return destCity;
    }
}
