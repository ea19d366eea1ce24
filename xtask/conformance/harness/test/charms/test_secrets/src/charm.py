"""A charm that adds and changes an application secret on request, and reports it.

Each action sets one result, `Result`: the secret's id and, under `after`, what the unit
sees of the secret once the action is done (its info, its tracked and latest content).
"""

from __future__ import annotations

import datetime
from typing import Any, TypedDict

import ops


class SecretState(TypedDict):
    info: dict[str, Any]
    tracked: dict[str, str]
    latest: dict[str, str]


class Result(TypedDict, total=False):
    secretid: str
    after: SecretState


_ROTATIONS = ["sentinel", *ops.SecretRotate.__members__.values()]


class SecretsCharm(ops.CharmBase):
    def __init__(self, framework: ops.Framework):
        super().__init__(framework)
        framework.observe(self.on["add-secret"].action, self._on_add_secret)
        framework.observe(self.on["add-with-meta"].action, self._on_add_with_meta)
        framework.observe(self.on["set-secret-flow"].action, self._on_set_secret_flow)

    def _on_add_secret(self, event: ops.ActionEvent) -> None:
        secret = self.app.add_secret({"foo": "bar"})
        event.set_results(self._report(secret))

    def _on_add_with_meta(self, event: ops.ActionEvent) -> None:
        fields = {f for f in str(event.params.get("fields", "")).split(",") if f}
        secret = self.app.add_secret(
            {"foo": "bar"},
            label="label1" if "label" in fields else None,
            description="description1" if "description" in fields else None,
            expire=datetime.datetime(2020, 1, 1) if "expire" in fields else None,
            rotate=ops.SecretRotate.DAILY if "rotate" in fields else None,
        )
        event.set_results(self._report(secret))

    def _on_set_secret_flow(self, event: ops.ActionEvent) -> None:
        secret = self.model.get_secret(
            id=event.params.get("secretid"), label=event.params.get("secretlabel")
        )
        # Found by label, the secret is then followed by its id: a step may change the label.
        secret = self.model.get_secret(id=secret.get_info().id)
        done: dict[str, int] = {}
        for step in str(event.params["flow"]).split(","):
            n = done[step] = done.get(step, 0) + 1
            if step == "content":
                secret.set_content({"val": str(n)})
            elif step == "label":
                secret.set_info(label=f"label{n}")
            elif step == "description":
                secret.set_info(description=f"description{n}")
            elif step == "expire":
                secret.set_info(expire=datetime.datetime(2010 + n, 1, 1))
            elif step == "rotate":
                secret.set_info(rotate=_ROTATIONS[n])
        event.set_results(self._report(secret))

    def _report(self, secret: ops.Secret) -> Result:
        info = secret.get_info()
        return {
            "secretid": info.id,
            "after": {
                "info": {
                    "id": info.id,
                    "label": info.label,
                    "revision": info.revision,
                    "expires": info.expires,
                    "rotation": info.rotation,
                    "rotates": info.rotates,
                    "description": info.description,
                },
                "tracked": secret.get_content(),
                "latest": secret.peek_content(),
            },
        }
