"""The wire client, free of qiskit: URLs, connections, IAM auth, retries, REST calls, discovery.

This is the part of the client that the jupyter-server extension imports at load time.
"""
