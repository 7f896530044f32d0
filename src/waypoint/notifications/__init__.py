"""The outbox: email and text messages, delivered by the worker with retries."""
