"""Funding models and the money that follows from them: pure Python, no database.

`calculate` holds one class per funding model behind one interface: what a provider earned in a period from
the accepted deliveries and the contract's terms, with an explanation line by line. `settle` turns earnings
and advances into a settlement; `shares` splits a shared regional cost over municipalities. All amounts are
integer euro cents and every total is the exact sum of its lines.
"""
