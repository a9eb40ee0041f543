"""Upload ids: kernel randomness handed out from a buffer, never the same id twice."""

from __future__ import annotations

import os
import re

from pullit_domain.model.source import new_upload_id


def test_ids_are_32_hex_digits_and_never_repeat_across_refills() -> None:
    ids = [new_upload_id() for _ in range(2_000)]  # several buffers' worth

    assert all(re.fullmatch(r"[0-9a-f]{32}", upload_id) for upload_id in ids)
    assert len(set(ids)) == len(ids)


def test_a_forked_child_does_not_hand_out_its_parents_next_ids() -> None:
    new_upload_id()  # the parent has a buffer with ids left in it
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child
        os.write(write_end, "".join(new_upload_id() for _ in range(8)).encode())
        os._exit(0)
    os.close(write_end)
    os.waitpid(pid, 0)
    with os.fdopen(read_end) as pipe:
        child = pipe.read()
    parents_next = {new_upload_id() for _ in range(8)}

    assert len(child) == 8 * 32
    assert not parents_next & {child[i : i + 32] for i in range(0, len(child), 32)}
