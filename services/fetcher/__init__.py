"""The fetcher's network core: polite, adaptive and hardened feed polling and page download.

Everything here is free of Kafka. `poll.poll_feed` takes one feed's subscription
and state and returns the next state and the new entries; `poll.download_article`
turns one entry into a RawArticle. The service wiring decides when to call them
and where the results go.
"""
