"""The fetcher as a WebSub subscriber (W3C WebSub): a feed's news pushed within seconds.

Polling alone learns of an entry at the next poll (a minute at the floor). A
publisher that announces a hub lets the fetcher subscribe and be told at once.

* `discovery`: the hub and the topic from the ``Link`` header or the feed.
* `signatures`: ``X-Hub-Signature``, the HMAC of each delivery.
* `rules`: when to ask a hub, what its answers do to a subscription, and how
  much slower a feed is polled while one is live.
* `hub`: the subscription request, sent through the guarded client.
* `callback`: the callback every replica serves: it answers the hub's
  verification of intent, checks each delivery's signature and forwards what
  it accepts to ``fetcher.pushes``, keyed by feed id.
* `inbox`: the replica that owns a feed applies what reached
  ``fetcher.pushes`` for it, a delivery exactly as a poll result.
"""
