"""``AccountSetup``: save and test a Qiskit Runtime account from the notebook.

The API key goes from the password box to the saved-account file (the official
``~/.qiskit/qiskit-ibm.json``, mode 0600) and the client; it is never echoed into the widget's
HTML, its traits, or an error message.
"""

from __future__ import annotations

import html
from typing import Any

import ipywidgets as w
import traitlets

from qrt_lab.runtime.summaries import words

from ._imports import import_once
from ._theme import CSS
from .static import STATIC_CLASS, StaticRepr

__all__ = ["CHANNELS", "AccountSetup"]

CHANNELS = [
    ("Local service (no account)", "local"),
    ("IBM Quantum Platform", "ibm_quantum_platform"),
    ("IBM Cloud", "ibm_cloud"),
]


def _service_class() -> Any:
    return import_once("qrt_lab.runtime").QiskitRuntimeService


class AccountSetup(StaticRepr, w.VBox):  # type: ignore[misc]  # ipywidgets ships no hints
    """A form to test and save an account; lists the saved accounts (never their keys).

    Args:
        filename: Account file to use (defaults to the official one).
    """

    status = traitlets.Unicode("", help="Result of the last test or save, as plain text.")
    ok = traitlets.Bool(False, help="Whether the last test or save succeeded.")

    def __init__(self, filename: str | None = None) -> None:
        super().__init__()
        self._filename = filename
        wide = w.Layout(width="32em")
        self.channel = w.Dropdown(options=CHANNELS, value="local", description="channel",
                                  layout=wide)  # fmt: skip
        self.token = w.Password(description="API key", placeholder="from IBM Quantum Platform",
                                layout=wide)  # fmt: skip
        self.instance = w.Text(description="instance", placeholder="CRN or name (optional)",
                               layout=wide)  # fmt: skip
        self.url = w.Text(description="url", placeholder="default for the channel", layout=wide)
        self.name = w.Text(description="name", placeholder="account name (optional)", layout=wide)
        self.default = w.Checkbox(description="use as default account", value=True)
        self.test_button = w.Button(description="Test connection", icon="plug")
        self.save_button = w.Button(description="Save account", icon="save", button_style="primary")
        self.test_button.on_click(lambda _b: self.test())
        self.save_button.on_click(lambda _b: self.save())
        self._message = w.HTML()
        self.saved = w.HTML()
        self.channel.observe(self._channel_changed, names="value")
        self._channel_changed({"new": self.channel.value})
        self.children = [
            w.HTML(CSS),
            w.HTML("<b>Qiskit Runtime account</b>"),
            self.channel, self.token, self.instance, self.url, self.name, self.default,
            w.HBox([self.test_button, self.save_button]),
            self._message,
            self.saved,
        ]  # fmt: skip
        self.add_class("qrt-w")
        self._list_saved()

    def _channel_changed(self, change: dict[str, Any]) -> None:
        local = change["new"] == "local"
        for field in (self.token, self.url):
            field.disabled = local
        self.save_button.disabled = local

    def _options(self) -> dict[str, Any]:
        options: dict[str, Any] = {"channel": self.channel.value}
        if self.channel.value != "local":
            options["token"] = self.token.value.strip() or None
        for key, field in (("instance", self.instance), ("url", self.url)):
            if field.value.strip():
                options[key] = field.value.strip()
        return options

    def _report(self, ok: bool, text: str) -> None:
        secret = self.token.value.strip()
        if secret:
            text = text.replace(secret, "<API key>")
        self.ok, self.status = ok, text
        css = "qrt-DONE" if ok else "qrt-error"
        self._message.value = f'<span class="{css}">{html.escape(text)}</span>'

    def test(self) -> bool:
        """Connect with the form's values and list the backends; report what happened."""
        options = self._options()
        if options["channel"] != "local" and not options.get("token"):
            self._report(False, "Enter the API key of your IBM Quantum account, then test again.")
            return False
        try:
            service = _service_class()(**options)
            backends = service.backends()
        except Exception as err:  # noqa: BLE001 - every failure is reported in the form
            self._report(False, f"Could not connect: {err}")
            return False
        instance = service.active_instance() if hasattr(service, "active_instance") else None
        where = f" (instance {instance})" if instance else ""
        self._report(True, f"Connected{where}: {words.plural(len(backends), 'backend')} available.")
        return True

    def save(self) -> bool:
        """Save the account (after a successful test) to the saved-account file."""
        if not self.test():
            return False
        options = self._options()
        try:
            _service_class().save_account(
                **options,
                name=self.name.value.strip() or None,
                filename=self._filename,
                overwrite=True,
                set_as_default=self.default.value,
            )
        except Exception as err:  # noqa: BLE001 - reported in the form
            self._report(False, f"Could not save the account: {err}")
            return False
        self._report(True, f"{self.status} Saved.")
        self._list_saved()
        return True

    def static_parts(self) -> dict[str, Any]:
        """The saved accounts (names, channels, instances; never keys) as HTML, and text."""
        page = (
            f"<div class='{STATIC_CLASS}' data-qrt-figure='accounts'><b>Account setup</b> "
            f"(the form needs a running kernel){self.saved.value}</div>"
        )
        return {"text/html": page, "text/plain": f"AccountSetup: {self.status or 'not tested'}"}

    def _list_saved(self) -> None:
        try:
            accounts = _service_class().saved_accounts(filename=self._filename)
        except Exception as err:  # noqa: BLE001 - an unreadable file is reported, not raised
            self.saved.value = f'<span class="qrt-error">{html.escape(str(err))}</span>'
            return
        if not accounts:
            self.saved.value = "<span class='qrt-muted'>No saved accounts.</span>"
            return
        rows = "".join(
            f"<tr><td>{html.escape(str(name))}</td>"
            f"<td>{html.escape(str(fields.get('channel', '')))}</td>"
            f"<td>{html.escape(str(fields.get('instance') or '-'))}</td>"
            f"<td>{'default' if fields.get('is_default_account') else ''}</td></tr>"
            for name, fields in accounts.items()
        )
        self.saved.value = (
            "<table><thead><tr><th>Saved account</th><th>Channel</th><th>Instance</th><th></th>"
            f"</tr></thead><tbody>{rows}</tbody></table>"
        )
