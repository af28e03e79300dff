package io.querk.samples.springboot;

import org.springframework.data.jpa.repository.JpaRepository;

/** Shipments, by id. */
public interface ShipmentRepository extends JpaRepository<Shipment, Long> {

    /**
     * @param city a destination city
     * @return how many shipments go there (rows not yet backfilled have no city)
     */
    long countByDestCity(String city);
}
