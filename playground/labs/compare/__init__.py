"""The compare lab (/compare): two playground runs side by side on the same data from
the same first weights, differing in the settings the lecturer picks, trained in
lockstep, their losses on one chart."""
