"""Shared test fixtures: the real Kafka broker comes from the `kafka_broker` plugin."""

pytest_plugins = ["tests.kafka_broker"]
