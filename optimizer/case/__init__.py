"""The case: what a user writes, and how it is read and checked.

Holds the case format (``schema``: pydantic models, ``fields``: shared field types, ``terms``:
what one unit of each instrument costs and pays), reading files (``loading``), the checks that
span several fields (``checks``, ``regime_checks``), the errors a user sees (``errors``), money
formatting (``money``), one key per counterparty however its name is spelled (``names``) and
the regime rulebook file format a case names (``rulebook``, ``regimes_registry``).

The rulebook *format* lives here, not in ``rules``, because checking a case means checking the
regime it names and the assumptions it overrides against that file; computing R from a
rulebook is ``rules``' job.

May import: nothing else in ``optimizer`` (this is the bottom layer).
"""
