"""The benchmarks behind `station bench ...` and the dashboard's: they print figures, never pass or
fail."""
