"""nginx terminating TLS with HTTP/2 in front of several instances, as docs/deploy.md shows."""

from __future__ import annotations

import ssl
import subprocess
from pathlib import Path

import httpx

from tests.support.live_server import Nginx

# nginx connects upstream from this address; the instances trust X-Forwarded-* from it only.
NGINX_UPSTREAM_ADDRESS = "127.0.0.2"


def self_signed_certificate(directory: Path) -> tuple[Path, Path]:
    """A throwaway certificate for 127.0.0.1 (``openssl``), valid for a day: (certificate, key)."""
    directory.mkdir(parents=True, exist_ok=True)
    cert, key = directory / "cert.pem", directory / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost", "-keyout", str(key), "-out", str(cert)],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return cert, key


class TlsNginx(Nginx):
    def __init__(self, work_dir: Path, upstreams: list[int], certificate: tuple[Path, Path]) -> None:
        super().__init__(work_dir, upstreams)
        self.url = f"https://127.0.0.1:{self.port}"
        self.certificate, self._key = certificate

    def config(self) -> str:
        # $http_host, not deploy.md's $host: this nginx listens on a random port, which $host drops
        # (on 443 the two are the same).
        proxy = f"""proxy_pass http://pullit;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_bind {NGINX_UPSTREAM_ADDRESS};"""
        return self.wrap(
            f"""    server {{
        listen 127.0.0.1:{self.port} ssl http2;
        ssl_certificate {self.certificate};
        ssl_certificate_key {self._key};
        ssl_protocols TLSv1.2 TLSv1.3;
        http2_max_concurrent_streams 128;
        location = /api/notifications/subscribe {{
            {proxy}
            proxy_buffering off;
            proxy_cache off;
            gzip off;
            proxy_read_timeout 1h;
        }}
        location / {{
            {proxy}
        }}
    }}"""
        )

    def tls(self) -> ssl.SSLContext:
        """A client context that trusts only the test certificate."""
        return ssl.create_default_context(cafile=str(self.certificate))

    def _answers(self) -> bool:
        if self._process is None or self._process.poll() is not None:
            errors = (self._work_dir / "nginx.out").read_text(errors="replace")
            raise RuntimeError(f"nginx exited at start:\n{errors}")
        try:
            return httpx.get(f"{self.url}/api/health", timeout=1.0, verify=self.tls()).status_code == 200
        except httpx.TransportError:
            return False
