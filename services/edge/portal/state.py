"""The portal's state in the edge process: users, sessions (signing and their rows), the OIDC client,
templates, code meanings."""

from __future__ import annotations

from functools import cached_property
from pathlib import Path

from fastapi.responses import Response
from fastapi.templating import Jinja2Templates

from edge.adapters.sessies import SessieRij, SessieStore
from edge.oidc import OidcClient, OidcConfig
from edge.portal import weergave
from edge.portal.sessions import COOKIE, PATH, Sessie, SessionSigner, SignedValue
from edge.portal.users import PortalUser, load_portal_users
from runtime.settings import Settings
from runtime.tenancy import Role

HERE = Path(__file__).parent


class PortalState:
    def __init__(self, cfg: Settings):
        self.development = cfg.development
        # the built-in login only for local use, or when a deployment configures its users on purpose
        self.ingebouwde_login = cfg.development or bool(cfg.portal_users_file)
        self.users: dict[str, PortalUser] = load_portal_users(cfg.portal_users_file) if self.ingebouwde_login else {}
        self.sessions = SessionSigner(cfg.portal_session_secret, cfg.portal_session_ttl_seconds)
        self.store = SessieStore(cfg.database_url, cfg.portal_session_max_seconds)
        oidc = OidcConfig.from_settings(cfg)
        self.oidc = OidcClient(oidc) if oidc else None
        self.oidc_flow = SignedValue(cfg.portal_session_secret, "oidc1")
        self.waarschuwing_seconden = min(cfg.portal_session_warn_seconds, cfg.portal_session_ttl_seconds)
        self.templates = Jinja2Templates(directory=HERE / "templates")
        weergave.install(self.templates.env)

    def open(self) -> None:
        self.store.open()
        if self.oidc:
            self.oidc.open()

    async def close(self) -> None:
        await self.store.close()
        if self.oidc:
            await self.oidc.close()

    @cached_property
    def retourcodes(self) -> weergave.Retourcodes:
        return weergave.Retourcodes.load()

    @cached_property
    def codes(self) -> weergave.Codes:
        return weergave.Codes.load()

    async def nieuwe_sessie(self, user: PortalUser) -> Sessie:
        sessie_id = await self.store.maak(user.gebruikersnaam, user.bron, user.naam, user.rol.value, user.gemeentecodes, user.agb)
        return self.sessions.new(sessie_id)

    def user_van(self, rij: SessieRij) -> PortalUser | None:
        """The user of an active session: a built-in user as the users file has them now (gone: None),
        an OIDC user as the id_token described them at login."""
        if rij.bron == "ingebouwd":
            return self.users.get(rij.gebruikersnaam)
        return PortalUser(rij.gebruikersnaam, rij.naam, Role(rij.rol), gemeentecodes=rij.gemeentecodes, agb=rij.agb, bron=rij.bron)

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

