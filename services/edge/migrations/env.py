from edge.adapters.tables import metadata
from runtime.migrations import run_env

run_env(metadata)
