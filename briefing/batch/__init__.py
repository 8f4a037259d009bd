"""Many briefings in one run: a jobs file, one shared clip cache, one executor (`briefing batch`).

Sits just below the CLI's progress layer: it uses the pipeline (scripts), output (renders) and
speech (executors), and prints nothing.

  jobsfile.py  the TOML jobs file: jobs, their paths resolved against the file's folder
  run.py       reading every job, synthesizing all their clips at once, rendering each job
"""

from briefing.batch.jobsfile import Job, load_jobs
from briefing.batch.run import BatchReport, BatchSettings, Outcome, plan_text, run_batch

__all__ = ["BatchReport", "BatchSettings", "Job", "Outcome", "load_jobs", "plan_text", "run_batch"]
