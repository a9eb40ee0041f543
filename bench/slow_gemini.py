"""A Gemini stand-in with a fixed latency, run as its own process by the benchmarks.

Every ``generateContent`` call waits ``--latency`` seconds (the model "thinking") and
answers with a valid set of ``--questions`` multiple-choice questions.
"""

from __future__ import annotations

import argparse
import json
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from tests.support.fake_gemini import canned_questions, response_body

from pullit_domain.model.question import QuestionType


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--latency", type=float, default=1.0)
    parser.add_argument("--questions", type=int, default=5)
    args = parser.parse_args()
    reply = json.dumps(response_body(json.dumps(canned_questions(QuestionType.MULTIPLE_CHOICE, args.questions))))

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *arguments: Any) -> None:
            pass

        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length", "0")))
            time.sleep(args.latency)  # the simulated model latency under test, not synchronisation
            body = reply.encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    server.request_queue_size = 1024
    print(server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
