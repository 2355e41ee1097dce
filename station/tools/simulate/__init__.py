"""Simulated packers and inspectors driving the real engines through emulated devices."""
