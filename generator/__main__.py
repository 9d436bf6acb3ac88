import sys

from generator.build.cli import run

# The guard matters: charts and pages are made in spawned worker processes,
# which import the main module again.
if __name__ == "__main__":
    sys.exit(run())
