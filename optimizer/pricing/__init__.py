"""The insurer's desk (issue #11): exact prices from the model, technical prices, market demand.

Sits above ``optimizer.coverage`` (it re-solves the coverage LP with changed prices) and below
the workbench and the CLI:

- ``live``: a solved coverage model kept alive in HiGHS, re-solved warm at a changed price;
- ``demand``: the exact demand curve of one instrument for one exchange (model.md section 6);
- ``signals``: exact entry, cut and drop-out prices for every instrument of a solved case;
- ``technical``: the technical price of a layer from per-year layer losses (risk loads);
- ``product``, ``market``, ``sweep``: a product offered across a market of exchanges, the
  demand, income, loss and profit at each price, serially or through dask.distributed.
"""
