"""The HTTP process of the local runtime service: the tornado application and its handlers."""
