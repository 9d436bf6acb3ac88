"""The stages in order, the nightly releases, the command line and the settings."""
