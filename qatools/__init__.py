"""Tools around the product, not part of it: the report generator (`reportqa generate`) and the
benchmarks (`reportqa bench`, `python -m qatools.bench_formats`)."""
