"""The worker side of the local runtime service: simulation of one job in a worker process.

The HTTP process never imports this package except through :mod:`.worker`, the pool's entry point.
"""
