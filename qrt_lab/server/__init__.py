"""jupyter-server extension: authenticated REST routes under ``/qrt-lab/`` (tornado lives here).

The extension app is :class:`qrt_lab.server.app.QrtLabApp` (imported by the entry point in
``qrt_lab._jupyter_server_extension_points``, not here, so importing this package stays light).
"""
