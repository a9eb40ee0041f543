"""Use cases: one class per thing a member or operator does, one transaction each."""

from pullit_domain.use_cases.members import GetMember, SignUpMember, SignUpResult

__all__ = ["GetMember", "SignUpMember", "SignUpResult"]
