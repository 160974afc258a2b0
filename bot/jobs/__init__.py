"""Background work between processes: the job queue, the clock and its schedule, workers."""
