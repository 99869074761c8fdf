"""The portal's state in the edge process: users, session signing, templates, code meanings."""

from __future__ import annotations

from functools import cached_property
from pathlib import Path

from fastapi.responses import Response
from fastapi.templating import Jinja2Templates

from edge.portal import weergave
from edge.portal.sessions import COOKIE, PATH, Sessie, SessionSigner
from edge.portal.users import PortalUser, load_portal_users
from runtime.settings import Settings

HERE = Path(__file__).parent


class PortalState:
    def __init__(self, cfg: Settings):
        self.development = cfg.development
        # the built-in login only for local use, or when a deployment configures its users on purpose
        self.ingebouwde_login = cfg.development or bool(cfg.portal_users_file)
        self.users: dict[str, PortalUser] = load_portal_users(cfg.portal_users_file) if self.ingebouwde_login else {}
        self.sessions = SessionSigner(cfg.portal_session_secret, cfg.portal_session_ttl_seconds)
        self.waarschuwing_seconden = min(cfg.portal_session_warn_seconds, cfg.portal_session_ttl_seconds)
        self.templates = Jinja2Templates(directory=HERE / "templates")
        weergave.install(self.templates.env)

    @cached_property
    def retourcodes(self) -> weergave.Retourcodes:
        return weergave.Retourcodes.load()

    @cached_property
    def codes(self) -> weergave.Codes:
        return weergave.Codes.load()

    def set_cookie(self, response: Response, sessie: Sessie) -> None:
        response.set_cookie(
            COOKIE,
            self.sessions.dump(sessie),
            max_age=self.sessions.ttl,
            path=PATH,
            httponly=True,
            samesite="lax",
            secure=not self.development,
        )

    def clear_cookie(self, response: Response) -> None:
        response.delete_cookie(COOKIE, path=PATH, httponly=True, samesite="lax", secure=not self.development)
