"""Cameras: OpenCV capture on a worker thread, barcode decoding (zxing-cpp, zbar), the live
decoding path that keeps up with 30 fps, and a generator of synthetic frames for tests and
the benchmark.
"""
