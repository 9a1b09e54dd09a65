"""Risk: losses a mix may have to pay.

Holds the historical incident table (``incidents``); the loss model, simulated years and the
risk figures of a mix (model.md section 4) belong here too.

May import: ``optimizer.case`` and ``optimizer.rules``.
"""
