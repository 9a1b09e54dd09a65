"""Coverage: the LP that chooses the cheapest compliant mix, and its pipeline.

Read top to bottom as ``pipeline.optimize`` does: ``model`` (build the LP, one function per
constraint family; ``rows`` holds what each row means, ``ladder`` the ladder's breakpoints),
``solve`` (HiGHS or CBC), ``collect`` (values, duals, prices), ``verify`` (re-check the mix
without the LP), ``diagnose`` (why an infeasible case is infeasible; ``knobs`` and ``least_fix`` find the
least single fixes); ``solution`` is the answer.

May import: ``optimizer.case``, ``optimizer.rules``, ``optimizer.risk``.
"""
