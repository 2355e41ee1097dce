"""Tools apart from the product: benchmarks, simulators, demo data, load generators, a throwaway
PostgreSQL cluster. No product module imports them; the command line does, inside its commands.
"""
