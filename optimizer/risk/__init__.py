"""Risk: the losses a mix may have to pay, and how much of them it leaves uncovered.

The core API (model.md section 4), built for the CVaR-constrained optimisation of issue #10::

    spec = loss_spec(case)                         # model.LossSpec: Poisson mean, severity, vectors, caps
    scen, spec = case_scenarios(case, base_dir)    # scenarios.Scenarios: S years, held sparsely (CSR)
    A = payout_matrix(scen, case, defaults)        # payouts: (n loss years, K) payout per unit of decision
    x = decisions_from_amounts(case, amounts)      # money bought -> share, units, amount
    U = max(0, scen.annual_loss - A @ x)           # uncovered loss of each loss year
    SortedLosses(U, scen.years).var_cvar(0.99)     # measures: exact RU CVaR, return periods

``Scenarios`` holds only the n years with an incident (the other S - n lost nothing):
``annual_loss`` L (n,), the per-incident losses in CSR form (``offsets`` (n + 1,),
``incident_loss`` (m,)) and the year numbers. ``payout_matrix`` applies layer terms, aggregate
limits, ``max_payouts_per_year`` and counterparty default draws (``defaults.draw_defaults``);
``scen.slice(i, j)`` gives a block of rows, so a caller can build A in blocks
(``evaluate.evaluate_mix`` does, to bound memory). ``figures.risk_report`` assembles every
reported figure of a mix; ``stress`` replays the historical incidents; ``events`` reads a
user's year-event table; ``loss_models`` and ``calibrate`` hold the calibrated default model
(data/loss-models/); ``incidents`` is the historical incident table.

May import: ``optimizer.case`` and ``optimizer.rules``.
"""
