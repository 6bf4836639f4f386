"""Alert delivery to the outside world, through the ``alerts.deliveries`` outbox.

Correlation writes, with every `LaunchAlert`, one pending `AlertDelivery` per
configured receiver (`deliveries_for`) in the same transaction. The delivery
stage (`open_delivery`, a source over ``alerts.deliveries``) sends each due
row to its receiver and writes the row back: delivered, retried later with
backoff, or given up when the alert is too old or the receiver refuses it for
good. See docs/alerting.md.

* `DeliverySettings`: the receivers' URLs and the limits; the enricher's
  settings derive from it.
* `deliveries_for(alert, settings, now) -> list[AlertDelivery]`: the rows to
  write with an alert.
* `open_delivery(settings, context)`: the `SourceOpener` of the stage, e.g.
  ``SourceSpec(name="delivery", table=AlertDelivery, open=open_delivery)``.
* `validate_delivery_settings(settings)`: the receivers, or `ConfigurationError`.
"""

from services.enricher.delivery.outbox import DeliveryOutbox, open_delivery
from services.enricher.delivery.receivers import DeliveryRequest, request_for
from services.enricher.delivery.rows import deliveries_for, delivery_id
from services.enricher.delivery.settings import DeliverySettings, receiver_urls
from services.enricher.delivery.settings import validate as validate_delivery_settings

__all__ = [
    "DeliveryOutbox",
    "DeliveryRequest",
    "DeliverySettings",
    "deliveries_for",
    "delivery_id",
    "open_delivery",
    "receiver_urls",
    "request_for",
    "validate_delivery_settings",
]
