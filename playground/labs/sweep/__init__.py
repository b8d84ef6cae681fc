"""The sweep lab (/sweep): a grid or random search over one or two settings of a
playground scene, its heat map filling in as the runs finish."""
