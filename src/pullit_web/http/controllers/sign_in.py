"""The controllers of sign-in, sessions, the member's own profile and member administration."""

from pullit_web.http.controllers.admin import AdminController
from pullit_web.http.controllers.auth import AuthController
from pullit_web.http.controllers.local_login import LocalLoginController
from pullit_web.http.controllers.members import MembersController
from pullit_web.http.controllers.oauth import OAuthController

SIGN_IN_CONTROLLERS = [OAuthController, LocalLoginController, AuthController, MembersController, AdminController]
