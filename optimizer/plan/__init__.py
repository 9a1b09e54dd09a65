"""The transition plan: build the reserve over several years (model.md section 7).

Each year meets its own requirement with that year's instruments, prices and policy limits;
cash is a stock carried from year to year, set aside within a yearly capacity; the objective
is the discounted cost of the whole path. Every year's constraints are the one-year model's
(optimizer.coverage.model), added to one shared problem under a per-year name prefix, and
every year's mix is re-checked by the one-year verify_solution.

years      the case seen year by year: R_t, the instruments and prices on offer, capacity
model      the multi-year LP: per-year blocks, cash stock and set-aside rows, discounted cost
verify     the plan re-checked without the LP
diagnose   infeasible plans explained in money, year by year
pipeline   optimize_plan, top to bottom
answer     the PlanSolution and its JSON form; report: table and CSV
"""
