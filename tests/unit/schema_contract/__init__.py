"""The published contract of `schemas/`: exported documents, samples, wire format, registry.

Consumers outside this repository depend on the checked-in JSON Schema and
AsyncAPI files, on the samples, on the CloudEvents headers and on the topic
table. These tests make any accidental change to those fail CI: the exported
files must be current, the hand-written v1 samples must still decode and
validate, and the v1 baseline below may only grow (see schemas/README.md).
"""
