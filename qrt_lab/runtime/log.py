"""``setup_logger``: the runtime loggers' level and destination from the environment."""

from __future__ import annotations

import logging
import os

__all__ = ["LOG_FILE_ENV", "LOG_LEVEL_ENV", "logger", "setup_logger"]

#: Environment variable naming the log level (the official client's name, so settings carry over).
LOG_LEVEL_ENV = "QISKIT_IBM_RUNTIME_LOG_LEVEL"
#: Environment variable naming a file that receives the log instead of the screen.
LOG_FILE_ENV = "QISKIT_IBM_RUNTIME_LOG_FILE"
#: The client's logger (``qiskit_ibm_runtime.logger`` in the official client).
logger = logging.getLogger("qrt_lab.runtime")
_FORMAT = "%(module)s.%(funcName)s:%(levelname)s:%(asctime)s: %(message)s"


def setup_logger(logger: logging.Logger) -> None:
    """Set up ``logger`` (e.g. ``logging.getLogger("qrt_lab.runtime")``) as the official one does.

    * ``QISKIT_IBM_RUNTIME_LOG_LEVEL`` sets the level (``DEBUG``, ``INFO``, ``WARNING``,
      ``ERROR``, ``CRITICAL``, case-insensitive); an invalid value logs a warning and uses
      ``WARNING``; unset keeps the parent's level.
    * ``QISKIT_IBM_RUNTIME_LOG_FILE`` sends the messages to that file instead of the screen.

    The logger stops propagating to its parents, since it gets its own handler.
    """
    log_level = os.getenv(LOG_LEVEL_ENV, "")
    log_file = os.getenv(LOG_FILE_ENV, "")
    logger.propagate = False
    handler: logging.Handler = (
        logging.FileHandler(log_file) if log_file else logging.StreamHandler()
    )
    handler.setFormatter(logging.Formatter(_FORMAT))
    logger.addHandler(handler)
    if log_level:
        level = logging.getLevelName(log_level.upper())
        if not isinstance(level, int):
            logger.warning(
                '"%s" is not a valid log level. The valid log levels are: '
                "`DEBUG`, `INFO`, `WARNING`, `ERROR`, and `CRITICAL`.",
                log_level,
            )
            level = logging.WARNING
        logger.setLevel(level)
