package io.querk.samples.springboot;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.net.URI;
import java.util.Map;

/** {@code /shipments}: read one, create one, count by city. */
@RestController
@RequestMapping("/shipments")
public class ShipmentController {

    private final ShipmentRepository shipments;

    ShipmentController(ShipmentRepository shipments) {
        this.shipments = shipments;
    }

    /** A new shipment; its city comes from the trigger the migration installed. */
    public record NewShipment(long id, String destination) {
    }

    @GetMapping("/{id}")
    ResponseEntity<Shipment> get(@PathVariable("id") long id) {
        return shipments.findById(id).map(ResponseEntity::ok).orElse(ResponseEntity.notFound().build());
    }

    @PostMapping
    ResponseEntity<Shipment> create(@RequestBody NewShipment s) {
        shipments.saveAndFlush(new Shipment(s.id(), s.destination()));
        return ResponseEntity.created(URI.create("/shipments/" + s.id())).build();
    }

    @GetMapping("/count")
    Map<String, Long> count(@RequestParam("city") String city) {
        return Map.of(city, shipments.countByDestCity(city));
    }
}
