"""The print queue: persistent jobs, a worker thread that sends them in order, and retries.

``queue.PrintQueue`` holds the jobs (rows of ``print_jobs``, an outbox event per change);
``worker.PrintWorker`` sends them through the printer drivers on a thread of its own and
waits out paper-out and head-open; ``printers`` resolves a job's printer to a driver.
A job is never lost and never printed twice unless the operator asks for a reprint.
"""
