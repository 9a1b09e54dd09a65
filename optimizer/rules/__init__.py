"""Rules: the requirement R a case must meet.

Holds the calculator that applies a regime rulebook to an exchange profile (``regimes``), the
effective credit factors and caps a rulebook implies (``basis``), the requirement basis the
optimiser receives (``requirement``), and R explained in words (``explain``).

May import: ``optimizer.case``.
"""
