"""Paths the shell serves that other parts of the process must also know, to build URLs to them."""

# The embedded store's signed file URLs (the local file store signs URLs under this path).
LOCAL_FILES_PATH = "/files"

# The local sign-in page (the local identity provider sends browsers here).
LOCAL_SIGN_IN_PATH = "/oauth2/local/authorize"
