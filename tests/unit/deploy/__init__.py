"""Deployment files (compose, image, Kubernetes, Prometheus, Grafana) checked against the code."""
